# A webhook receiver in Python 3.9+ with the Standard Webhooks library (pip install standardwebhooks)
# and the standard library's HTTP server:
#   WEBHOOK_SECRET=whsec_... PORT=8080 python server.py
# It verifies every request on the raw body (the library also refuses timestamps more than
# 5 minutes away), acknowledges each webhook-id once, and answers fast.
import json
import os
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

webhook = Webhook(os.environ["WEBHOOK_SECRET"])  # whsec_...: the library decodes the key
PORT = int(os.environ.get("PORT", "8080"))

# webhook-ids already handled. In production keep them in your database (with a unique index) for
# longer than the sender retries (the default schedule spans about 28 hours).
seen = set()


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self):
        # The raw bytes, before any JSON parsing: the signature covers exactly these.
        raw_body = self.rfile.read(int(self.headers.get("content-length", "0")))
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            # Checks webhook-timestamp (5 minutes) and every v1 signature in webhook-signature
            # (two while a rotated-out secret is in its grace window); returns the parsed JSON.
            event = webhook.verify(raw_body, headers)
        except WebhookVerificationError as error:
            print(json.dumps({"rejected": str(error)}), flush=True)
            return self.answer(401)
        message_id = headers["webhook-id"]
        if message_id in seen:
            # A retry of something already handled: acknowledge it again, do nothing twice.
            print(json.dumps({"duplicate": message_id}), flush=True)
            return self.answer(200)
        seen.add(message_id)
        print(json.dumps({"accepted": message_id, "type": event["type"]}), flush=True)
        self.answer(200)

    def answer(self, status):
        self.send_response(status)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass  # one JSON line per request above is enough


server = ThreadingHTTPServer(("127.0.0.1", PORT), Receiver)
print(json.dumps({"listening": server.server_address[1]}), flush=True)
server.serve_forever()

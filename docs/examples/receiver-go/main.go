// A webhook receiver in Go with the Standard Webhooks library:
//
//	go get github.com/standard-webhooks/standard-webhooks/libraries
//	WEBHOOK_SECRET=whsec_... PORT=8080 go run .
//
// It verifies every request on the raw body (the library also refuses timestamps more than
// 5 minutes away), acknowledges each webhook-id once, and answers fast.
package main

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"sync"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

func main() {
	// whsec_...: the library decodes the key.
	webhook, err := standardwebhooks.NewWebhook(os.Getenv("WEBHOOK_SECRET"))
	if err != nil {
		log.Fatalf("WEBHOOK_SECRET: %v", err)
	}
	port := os.Getenv("PORT")
	if port == "" {
		port = "8080"
	}

	// webhook-ids already handled. In production keep them in your database (with a unique
	// index) for longer than the sender retries (the default schedule spans about 28 hours).
	var mu sync.Mutex
	seen := map[string]bool{}

	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		// The raw bytes, before any JSON parsing: the signature covers exactly these.
		rawBody, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		// Checks webhook-timestamp (5 minutes) and every v1 signature in webhook-signature (two
		// while a rotated-out secret is in its grace window).
		if err := webhook.Verify(rawBody, r.Header); err != nil {
			printJSON(map[string]string{"rejected": err.Error()})
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		id := r.Header.Get("webhook-id")
		mu.Lock()
		duplicate := seen[id]
		seen[id] = true
		mu.Unlock()
		if duplicate {
			// A retry of something already handled: acknowledge it again, do nothing twice.
			printJSON(map[string]string{"duplicate": id})
			w.WriteHeader(http.StatusOK)
			return
		}
		var event struct {
			Type string `json:"type"`
		}
		if err := json.Unmarshal(rawBody, &event); err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		printJSON(map[string]string{"accepted": id, "type": event.Type})
		w.WriteHeader(http.StatusOK)
	})

	listener, err := net.Listen("tcp", "127.0.0.1:"+port)
	if err != nil {
		log.Fatal(err)
	}
	printJSON(map[string]int{"listening": listener.Addr().(*net.TCPAddr).Port})
	log.Fatal(http.Serve(listener, nil))
}

func printJSON(value any) {
	line, _ := json.Marshal(value)
	fmt.Println(string(line))
}

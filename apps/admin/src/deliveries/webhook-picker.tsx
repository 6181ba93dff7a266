import { useEffect, useId, useState, type KeyboardEvent } from 'react';
import { useSession } from '../auth/session';
import { useLoad } from '../components/use-load';

export interface WebhookPickerProps {
  /** The chosen webhook's id; '' for all webhooks. */
  value: string;
  /** What the input shows for the chosen webhook (its name once known, else its id). */
  valueLabel: string;
  /** The current environment's filter: only its webhooks are offered. */
  environment: string | undefined;
  onChange: (webhookId: string, name: string) => void;
}

const SEARCH_DELAY_MS = 250;
const OPTIONS = 10;

/**
 * The deliveries log's webhook filter: a combobox (WAI-ARIA 1.2, list autocomplete) that finds any
 * webhook by name or URL as you type, asking the API for the first 10 matches after a short pause
 * (one request at a time: useLoad). Arrow keys move through the matches, Enter picks, Escape
 * closes; "All webhooks" clears the filter.
 */
export function WebhookPicker({ value, valueLabel, environment, onChange }: WebhookPickerProps) {
  const { api } = useSession();
  const id = useId();
  const listId = `${id}-list`;
  const [text, setText] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);

  useEffect(() => {
    const timer = setTimeout(() => setQuery((text ?? '').trim()), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [text]);

  const matches = useLoad(`webhook-picker:${open}:${environment ?? ''}:${query}`, (signal) =>
    open
      ? api.listWebhooks({ search: query || undefined, environment, limit: OPTIONS }, signal)
      : Promise.resolve(null),
  );
  const options = open ? (matches.data?.items ?? []) : [];
  useEffect(() => setActive(0), [matches.data]);

  function pick(webhookId: string, name: string) {
    setText(null);
    setOpen(false);
    onChange(webhookId, name);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      if (!open) setOpen(true);
      else setActive((index) => Math.min(index + 1, Math.max(options.length - 1, 0)));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setActive((index) => Math.max(index - 1, 0));
    } else if (event.key === 'Enter') {
      if (!open) return;
      event.preventDefault();
      const option = options[active];
      if (option) pick(option.id, option.name);
    } else if (event.key === 'Escape') {
      if (open) {
        event.preventDefault();
        setOpen(false);
        setText(null);
      }
    }
  }

  const activeOption = options[active];
  return (
    <div className="field combobox">
      <label htmlFor={id}>Webhook</label>
      <div className="combobox-input">
        <input
          id={id}
          role="combobox"
          type="text"
          autoComplete="off"
          aria-autocomplete="list"
          aria-expanded={open}
          aria-controls={listId}
          aria-activedescendant={open && activeOption ? `${id}-${activeOption.id}` : undefined}
          placeholder="All webhooks: type a name"
          value={text ?? (value ? valueLabel : '')}
          onChange={(event) => {
            setText(event.target.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => {
            setOpen(false);
            setText(null);
          }}
          onKeyDown={onKeyDown}
        />
        {value && (
          <button
            type="button"
            className="button-link"
            aria-label="All webhooks (clear the webhook filter)"
            onClick={() => pick('', '')}
          >
            Clear
          </button>
        )}
      </div>
      <ul role="listbox" id={listId} aria-label="Webhooks" className="combobox-list" hidden={!open}>
        {options.map((webhook, index) => (
          <li
            key={webhook.id}
            id={`${id}-${webhook.id}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'combobox-option active' : 'combobox-option'}
            // Before the input's blur closes the list.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => pick(webhook.id, webhook.name)}
          >
            {webhook.name} <span className="muted small">({webhook.environment})</span>
          </li>
        ))}
        {open && matches.data && options.length === 0 && (
          <li className="combobox-empty" role="presentation">
            No webhook matches “{query}”.
          </li>
        )}
      </ul>
    </div>
  );
}

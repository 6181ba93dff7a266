import { useEffect, useRef } from 'react';
import type { EventTypeGroup } from '../api/types';
import { PayloadSchemaView } from '../components/payload-schema';

export interface EventPickerProps {
  catalogue: EventTypeGroup[];
  selected: ReadonlySet<string>;
  disabled: boolean;
  errors: string[];
  onChange: (selected: Set<string>) => void;
}

/** Event selection (manual §4): one group per fieldset, each with "select all" and its count. */
export function EventPicker({ catalogue, selected, disabled, errors, onChange }: EventPickerProps) {
  const set = (types: readonly string[], on: boolean) => {
    const next = new Set(selected);
    for (const type of types) {
      if (on) next.add(type);
      else next.delete(type);
    }
    onChange(next);
  };
  return (
    <fieldset
      className={errors.length ? 'events field-invalid' : 'events'}
      aria-describedby={errors.length ? 'event-errors' : 'event-count'}
    >
      <legend>Events</legend>
      <p id="event-count" className="field-hint" aria-live="polite">
        {selected.size} event type{selected.size === 1 ? '' : 's'} selected
      </p>
      {errors.length > 0 && (
        <ul id="event-errors" className="field-errors">
          {errors.map((message) => (
            <li key={message}>{message}</li>
          ))}
        </ul>
      )}
      <div className="event-groups">
        {catalogue.map((group) => (
          <EventGroup
            key={group.group}
            group={group}
            selected={selected}
            disabled={disabled}
            onSet={set}
          />
        ))}
      </div>
    </fieldset>
  );
}

function EventGroup({
  group,
  selected,
  disabled,
  onSet,
}: {
  group: EventTypeGroup;
  selected: ReadonlySet<string>;
  disabled: boolean;
  onSet: (types: readonly string[], on: boolean) => void;
}) {
  const count = group.eventTypes.filter((type) => selected.has(type)).length;
  const all = count === group.eventTypes.length;
  const selectAll = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (selectAll.current) selectAll.current.indeterminate = count > 0 && !all;
  }, [count, all]);
  const id = `group-${group.group.toLowerCase()}`;
  return (
    <fieldset className="event-group">
      <legend>
        {group.group}{' '}
        <span className="count">
          ({count} of {group.eventTypes.length})
        </span>
      </legend>
      <label className="checkbox select-all">
        <input
          ref={selectAll}
          type="checkbox"
          id={`${id}-all`}
          checked={all}
          disabled={disabled}
          onChange={(event) => onSet(group.eventTypes, event.target.checked)}
        />
        Select all {group.group} events
      </label>
      <ul>
        {group.eventTypes.map((type) => (
          <li key={type}>
            <label className="checkbox">
              <input
                type="checkbox"
                name="eventTypes"
                value={type}
                checked={selected.has(type)}
                disabled={disabled}
                onChange={(event) => onSet([type], event.target.checked)}
              />
              <code>{type}</code>
            </label>
            {group.schemas?.[type] && (
              <details className="event-payload">
                <summary>payload</summary>
                <PayloadSchemaView type={type} described={group.schemas[type]} />
              </details>
            )}
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

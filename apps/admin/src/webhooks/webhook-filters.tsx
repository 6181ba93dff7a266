import { useEffect, useState } from 'react';
import { ENVIRONMENTS } from '../api/types';
import { capitalise } from '../lib/format';
import type { WebhookFilters } from '../lib/list-filters';

export interface WebhookFiltersProps {
  filters: WebhookFilters;
  onChange: (change: Partial<WebhookFilters>) => void;
}

/** Search (as you type, after a pause) and the environment and status filters of the list. */
export function WebhookFiltersBar({ filters, onChange }: WebhookFiltersProps) {
  const [search, setSearch] = useState(filters.search);
  useEffect(() => setSearch(filters.search), [filters.search]);
  useEffect(() => {
    if (search === filters.search) return;
    const timer = setTimeout(() => onChange({ search }), 300);
    return () => clearTimeout(timer);
  }, [search, filters.search, onChange]);

  return (
    <form
      className="filters"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ search });
      }}
    >
      <div className="field">
        <label htmlFor="webhook-search">Search by name or URL</label>
        <input
          id="webhook-search"
          type="search"
          value={search}
          placeholder="e.g. CRM or hooks.example.com"
          onChange={(event) => setSearch(event.target.value)}
        />
      </div>
      <div className="field">
        <label htmlFor="webhook-environment">Environment</label>
        <select
          id="webhook-environment"
          value={filters.environment}
          onChange={(event) => onChange({ environment: event.target.value })}
        >
          <option value="">All environments</option>
          {ENVIRONMENTS.map((environment) => (
            <option key={environment} value={environment}>
              {capitalise(environment)}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="webhook-status">Status</label>
        <select
          id="webhook-status"
          value={filters.status}
          onChange={(event) => onChange({ status: event.target.value })}
        >
          <option value="">Active and inactive</option>
          <option value="active">Active</option>
          <option value="inactive">Inactive</option>
        </select>
      </div>
    </form>
  );
}

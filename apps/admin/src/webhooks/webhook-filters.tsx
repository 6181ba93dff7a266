import { useEffect, useState } from 'react';
import { FilterSelect } from '../components/filter-select';
import type { WebhookFilters } from '../lib/list-filters';

export interface WebhookFiltersProps {
  filters: WebhookFilters;
  onChange: (change: Partial<Omit<WebhookFilters, 'cursor'>>) => void;
}

/**
 * Search (as you type, after a pause) and the status filter of the list; the environment is the
 * page's current one, chosen in the header.
 */
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
      <FilterSelect
        id="webhook-status"
        label="Status"
        value={filters.status}
        anyLabel="Active and inactive"
        options={[
          { value: 'active', label: 'Active' },
          { value: 'inactive', label: 'Inactive' },
          { value: 'deleted', label: 'Deleted' },
        ]}
        onChange={(status) => onChange({ status })}
      />
    </form>
  );
}

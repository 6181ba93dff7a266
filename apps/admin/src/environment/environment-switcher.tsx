import { CURRENT_ENVIRONMENTS, environmentLabel, isCurrentEnvironment } from './environment';
import { useCurrentEnvironment } from './environment-context';

/** In the page header: which environment the lists show (Production, Staging, Development, All). */
export function EnvironmentSwitcher() {
  const { environment, setEnvironment } = useCurrentEnvironment();
  return (
    <div className="environment-switcher">
      <label htmlFor="current-environment">Current environment</label>
      <select
        id="current-environment"
        value={environment}
        onChange={(event) => {
          if (isCurrentEnvironment(event.target.value)) setEnvironment(event.target.value);
        }}
      >
        {CURRENT_ENVIRONMENTS.map((value) => (
          <option key={value} value={value}>
            {value === 'all' ? 'All' : environmentLabel(value)}
          </option>
        ))}
      </select>
    </div>
  );
}

/**
 * The one event stream of the default retry policy. A setting, not an aggregate with an id: every
 * change is appended here, so the whole history of the policy (who changed it, when) is auditable.
 */
export const RETRY_POLICY_STREAM_ID = 'settings-retry-policy';

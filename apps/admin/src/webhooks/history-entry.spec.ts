import { describeHistoryEntry } from './history-entry';

describe('a history entry in words', () => {
  it('given WebhookUpdated with a URL and events changed, then each change reads from → to', () => {
    const described = describeHistoryEntry('WebhookUpdated', {
      changes: {
        url: { from: 'https://a.example/x', to: 'https://b.example/y' },
        eventTypes: {
          from: ['activation.created'],
          to: ['activation.failed', 'license.created'],
        },
        description: { from: 'old', to: null },
      },
    });
    expect(described).toEqual({
      title: 'Updated',
      lines: [
        { label: 'Target URL', from: 'https://a.example/x', to: 'https://b.example/y' },
        {
          label: 'Events',
          to: 'added activation.failed, license.created; removed activation.created',
        },
        { label: 'Description', from: 'old', to: '(none)' },
      ],
    });
  });

  it('given a creation, then its fields, status and secret hint are listed', () => {
    const described = describeHistoryEntry('WebhookCreated', {
      name: 'Slack',
      url: 'https://hooks.slack.example/1',
      environment: 'production',
      eventTypes: ['activation.created', 'activation.failed'],
      description: null,
      active: true,
      secretHint: 'whsec_…abcd',
    });
    expect(described.title).toBe('Created');
    expect(described.lines).toContainEqual({
      label: 'Events',
      to: 'activation.created, activation.failed',
    });
    expect(described.lines).toContainEqual({ label: 'Status', to: 'Active' });
    expect(described.lines.map((line) => line.label)).not.toContain('Description');
  });

  it('given an automatic pause, then it says so with the reason', () => {
    expect(
      describeHistoryEntry('WebhookDeactivated', { reason: 'automatic', detail: 'HTTP 410 Gone' }),
    ).toEqual({ title: 'Paused automatically', lines: [{ label: 'Reason', to: 'HTTP 410 Gone' }] });
    expect(describeHistoryEntry('WebhookDeactivated', { reason: 'admin' }).title).toBe(
      'Deactivated',
    );
  });

  it('given a rotation, then the hints and the grace window end are shown', () => {
    const described = describeHistoryEntry('SecretRotated', {
      secretHint: 'whsec_…new1',
      previousSecretHint: 'whsec_…old1',
      previousSecretValidUntil: '2026-11-28T12:00:00.000Z',
    });
    expect(described.lines[0]).toEqual({ label: 'Secret', from: 'whsec_…old1', to: 'whsec_…new1' });
  });

  it('given a rotation from a whsec_ secret to an ed25519 key, then the scheme change is a line of its own', () => {
    const described = describeHistoryEntry('SecretRotated', {
      secretHint: 'whpk_…new1',
      previousSecretHint: 'whsec_…old1',
      previousSecretValidUntil: '2026-11-28T12:00:00.000Z',
      signatureScheme: 'asymmetric',
      previousSignatureScheme: 'symmetric',
    });
    expect(described.lines).toContainEqual({
      label: 'Signature scheme',
      from: 'Symmetric (whsec_, v1)',
      to: 'Asymmetric (ed25519, v1a)',
    });
  });

  it('given a rotation within one scheme, then no scheme line is added', () => {
    const described = describeHistoryEntry('SecretRotated', {
      secretHint: 'whsec_…new1',
      previousSecretHint: 'whsec_…old1',
      previousSecretValidUntil: '2026-11-28T12:00:00.000Z',
      signatureScheme: 'symmetric',
      previousSignatureScheme: 'symmetric',
    });
    expect(described.lines.map((line) => line.label)).not.toContain('Signature scheme');
  });

  it('given a webhook created asymmetric, then its scheme is shown', () => {
    const described = describeHistoryEntry('WebhookCreated', {
      name: 'Ed',
      active: true,
      secretHint: 'whpk_…abcd',
      signatureScheme: 'asymmetric',
    });
    expect(described.lines).toContainEqual({
      label: 'Signature scheme',
      to: 'Asymmetric (ed25519, v1a)',
    });
  });

  it('given a secret reveal, then it says what was shown, and never a secret', () => {
    expect(
      describeHistoryEntry('SecretRevealed', {
        webhookVersion: 3,
        signatureScheme: 'symmetric',
        previousIncluded: true,
      }),
    ).toEqual({
      title: 'Secret revealed',
      lines: [{ label: 'Shown', to: 'Secret and previous secret' }],
    });
  });

  it('given an activity of another library (a manual retry), then its details show as they are', () => {
    expect(describeHistoryEntry('DeliveryRetryRequested', { deliveryId: 'd-1' })).toEqual({
      title: 'DeliveryRetryRequested',
      lines: [{ label: 'deliveryId', to: 'd-1' }],
    });
  });

  it('given an event type this page does not know yet, then its details still show', () => {
    expect(describeHistoryEntry('WebhookRenamedV9', { extra: 1 })).toEqual({
      title: 'WebhookRenamedV9',
      lines: [{ label: 'extra', to: '1' }],
    });
  });
});

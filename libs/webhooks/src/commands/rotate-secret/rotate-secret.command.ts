import type { Consistency } from '../../application/consistency';
import type { RequestMetadata } from '@app/platform';

/** "Generate New Secret": the old secret keeps signing for the grace window. */
export class RotateSecretCommand {
  constructor(
    readonly webhookId: string,
    readonly request: RequestMetadata,
    /** An admin-supplied secret; generated when absent. */
    readonly secret?: string,
    readonly expectedVersion?: number,
    readonly consistency: Consistency = 'eventual',
    /** The new key's scheme: symmetric (`whsec_`) unless said, so a rotation may switch schemes. */
    readonly signatureScheme: 'symmetric' | 'asymmetric' = 'symmetric',
  ) {}
}

import type { Role } from './roles';

/** Who is calling: the token's `sub` and `role` claims, set as `request.user` by JwtAuthGuard. */
export interface Principal {
  id: string;
  role: Role;
}

/** The part of the HTTP request JwtAuthGuard reads and writes. */
export interface AuthenticatedRequest {
  headers: Record<string, string | string[] | undefined>;
  user?: Principal;
}

/** An end-user of the lab (from the configuration). */
export interface User {
  readonly sub: string;
  readonly username: string;
  /** Claims exactly as configured (OpenID Connect Core §5.1 names). */
  readonly claims: Readonly<Record<string, unknown>>;
}

export interface UserDirectory {
  findByUsername(username: string): User | undefined;
  findBySub(sub: string): User | undefined;
  /** Checks a password against the stored bcrypt hash; false for an unknown user (after equal work). */
  verifyPassword(username: string, password: string): Promise<User | undefined>;
  all(): readonly User[];
}

/** Demo data of the bank-style resource server: every user sees the same two accounts, named for them. */
export interface DemoAccount {
  readonly account_id: string;
  readonly nickname: string;
  readonly currency: string;
  readonly balance: string;
}

export function demoAccountsFor(sub: string): DemoAccount[] {
  const suffix = [...sub].reduce((n, ch) => (n * 31 + ch.charCodeAt(0)) % 10_000, 7);
  return [
    { account_id: `acc-${suffix}-1`, nickname: 'Current account', currency: 'EUR', balance: '1250.40' },
    { account_id: `acc-${suffix}-2`, nickname: 'Savings', currency: 'EUR', balance: '8020.00' },
  ];
}

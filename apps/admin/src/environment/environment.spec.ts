import {
  addressEnvironment,
  addressFor,
  environmentFilter,
  resolveEnvironment,
  switchedAddress,
} from './environment';

describe('the current environment', () => {
  it('given an environment in the address and another remembered, then the address wins', () => {
    expect(resolveEnvironment('staging', 'production')).toEqual({
      environment: 'staging',
      chosen: true,
    });
  });

  it('given none in the address, then the remembered one is current', () => {
    expect(resolveEnvironment(null, 'development')).toEqual({
      environment: 'development',
      chosen: true,
    });
  });

  it('given nothing anywhere, or only values that are no environment, then All, not chosen', () => {
    expect(resolveEnvironment(null, null)).toEqual({ environment: 'all', chosen: false });
    expect(resolveEnvironment('moon', 'mars')).toEqual({ environment: 'all', chosen: false });
  });

  it('given All chosen, then it is a choice like any other (a shared link to All shows All)', () => {
    expect(resolveEnvironment('all', 'staging')).toEqual({ environment: 'all', chosen: true });
  });

  it("given an old bookmark with the list's environment filter, then that is the address's environment", () => {
    expect(addressEnvironment(new URLSearchParams('environment=staging&status=active'))).toBe(
      'staging',
    );
    expect(addressEnvironment(new URLSearchParams('env=development&environment=staging'))).toBe(
      'development',
    );
    expect(addressEnvironment(new URLSearchParams('env=nowhere'))).toBeNull();
  });

  it('given a chosen environment missing from the address, then the address gets it, keeping the rest', () => {
    const next = addressFor(new URLSearchParams('status=failed'), {
      environment: 'staging',
      chosen: true,
    });
    expect(next?.toString()).toBe('status=failed&env=staging');
  });

  it('given an old parameter, then the address is rewritten to env', () => {
    const next = addressFor(new URLSearchParams('environment=staging&search=crm'), {
      environment: 'staging',
      chosen: true,
    });
    expect(next?.toString()).toBe('search=crm&env=staging');
  });

  it('given the address already right, or nothing chosen, then nothing is written', () => {
    const right = new URLSearchParams('env=staging');
    expect(addressFor(right, { environment: 'staging', chosen: true })).toBeNull();
    expect(
      addressFor(new URLSearchParams('a=1'), { environment: 'all', chosen: false }),
    ).toBeNull();
  });

  it('given a switch while on a later page of a list, then the list starts at its first page', () => {
    const next = switchedAddress(
      new URLSearchParams('search=x&cursor=abc&env=staging'),
      'production',
    );
    expect(next.toString()).toBe('search=x&env=production');
  });

  it('given All, then the API is sent no environment filter', () => {
    expect(environmentFilter('all')).toBeUndefined();
    expect(environmentFilter('staging')).toBe('staging');
  });
});

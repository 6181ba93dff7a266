import { deliveryStatusClass, statusClassOf } from './status-class';

describe('statusClassOf', () => {
  it.each([
    [200, '2xx'],
    [204, '2xx'],
    [301, '3xx'],
    [404, '4xx'],
    [410, '4xx'],
    [429, '4xx'],
    [500, '5xx'],
    [599, '5xx'],
  ])('given HTTP %i, then %s', (status, expected) => {
    expect(statusClassOf(status)).toBe(expected);
  });

  it('given no answer (timeout, refused, network error), then none', () => {
    expect(statusClassOf(null)).toBe('none');
  });

  it('given a status outside 200–599, then no class', () => {
    expect(statusClassOf(199)).toBeNull();
    expect(statusClassOf(600)).toBeNull();
  });

  it('given a delivery not attempted yet, then no class; else its latest attempt decides', () => {
    expect(deliveryStatusClass(null)).toBeNull();
    expect(deliveryStatusClass({ responseStatus: null })).toBe('none');
    expect(deliveryStatusClass({ responseStatus: 503 })).toBe('5xx');
  });
});

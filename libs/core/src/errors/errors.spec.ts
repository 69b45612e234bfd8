import { RrrError, ValidationError, NotFoundError } from './index';

describe('RrrError', () => {
  it('carries a stable code, its HTTP status and the API body shape', () => {
    const err = new ValidationError(
      'order',
      [
        { field: 'quantity', message: 'must be > 0', value: -1 },
        { field: 'price', message: 'required for a limit order' },
      ],
      'ORDER_INVALID',
    );
    expect(err).toBeInstanceOf(RrrError);
    expect(err.code).toBe('ORDER_INVALID');
    expect(err.httpStatus).toBe(400);
    expect(err.message).toBe('order: quantity: must be > 0; price: required for a limit order');
    expect(err.toJSON()).toEqual({
      error: {
        code: 'ORDER_INVALID',
        message: err.message,
        details: { problems: err.problems },
      },
    });
  });

  it('names the error class', () => {
    expect(new NotFoundError('order', 'abc').name).toBe('NotFoundError');
    expect(new NotFoundError('order', 'abc').httpStatus).toBe(404);
  });
});

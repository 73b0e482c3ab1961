import { ApiError } from '../../../core/http/api-error';
import { fieldMessages, humanMessage } from './messages';

describe('humanMessage', () => {
  it('never shows the server’s own text', () => {
    const raw = new ApiError(422, 'Input should be less than or equal to 1000000', 'InvalidInput');
    expect(humanMessage(raw)).toBe('Some of the details are not valid. Check them and try again.');
  });

  it('prefers the caller’s sentence, then the error’s name, then the status', () => {
    const wrongCode = new ApiError(403, 'bad code', 'InvalidCustomerCode');
    expect(humanMessage(wrongCode)).toBe(
      'That code is not right. Check it with the customer, or send a new one.',
    );
    expect(humanMessage(wrongCode, { InvalidCustomerCode: 'Wrong code.' })).toBe('Wrong code.');
    expect(humanMessage(new ApiError(404, 'Not Found'), { 404: 'No such page.' })).toBe(
      'No such page.',
    );
    expect(humanMessage(new ApiError(0, ''))).toBe(
      "Can't reach the server. Check your connection and try again.",
    );
    expect(humanMessage(new Error('boom'))).toBe('Something went wrong. Try again.');
  });
});

describe('fieldMessages', () => {
  it('gives the app’s sentence for each field a 422 names', () => {
    const error = new ApiError(422, 'x', 'InvalidInput', [
      { field: 'body.amount_spent', message: 'Input should be less than or equal to 1000000' },
      { field: 'body.other', message: 'whatever' },
    ]);
    expect(fieldMessages(error, { amount_spent: 'Too much.' })).toEqual({
      amount_spent: 'Too much.',
    });
    expect(fieldMessages(new ApiError(409, 'x'), { amount_spent: 'Too much.' })).toEqual({});
  });
});

import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { form } from '@angular/forms/signals';

import { ApiError } from '../../../core/http/api-error';
import { FIELD_REFUSED, mapServerErrors, submitOrExplain } from './form-rules';

describe('mapServerErrors', () => {
  function fields() {
    const model = signal({ points: '', name: '' });
    return TestBed.runInInjectionContext(() => form(model));
  }

  it('puts 422 problems on their fields in the form’s words, never the server’s', () => {
    const tree = fields();
    const error = new ApiError(422, 'Invalid input', 'InvalidInput', [
      { field: 'body.points_to_award_referrer', message: 'Input should be ≤ 10000000' },
      { field: 'body.name', message: 'String should have at most 120 characters' },
      { field: 'body.unknown', message: 'Extra inputs are not permitted' },
    ]);
    const mapped = mapServerErrors(
      error,
      { points_to_award_referrer: tree.points, name: tree.name },
      { messages: { points_to_award_referrer: 'Enter at most 10,000,000 points.' } },
    );
    expect(mapped.fieldErrors.map((e) => e.message)).toEqual([
      'Enter at most 10,000,000 points.',
      FIELD_REFUSED,
    ]);
    expect(mapped.formMessage).toBe('Some of the details are not valid. Check them and try again.');
  });

  it('puts a conflict on its field and anything else on the form, in the app’s words', () => {
    const tree = fields();
    const conflict = mapServerErrors(
      new ApiError(409, 'duplicate key value violates unique constraint', 'Conflict'),
      { name: tree.name },
      { conflictField: 'name', conflictMessage: 'That name is taken.' },
    );
    expect(conflict.fieldErrors.map((e) => e.message)).toEqual(['That name is taken.']);
    const other = mapServerErrors(new ApiError(503, 'upstream connect error'), {});
    expect(other.formMessage).toBe('The service is unavailable right now. Try again in a moment.');
  });
});

describe('submitOrExplain', () => {
  it('clears the form’s message and returns nothing when the server accepts', async () => {
    const problem = signal<string | null>('An old refusal.');
    let sent = 0;
    expect(await submitOrExplain(problem, async () => sent++)).toBeUndefined();
    expect(sent).toBe(1);
    expect(problem()).toBeNull();
  });

  it('returns the fields’ errors and words the rest with the form’s own sentences', async () => {
    const problem = signal<string | null>(null);
    const tree = TestBed.runInInjectionContext(() => form(signal({ name: '' })));
    const refused = await submitOrExplain(
      problem,
      () =>
        Promise.reject(new ApiError(422, 'x', 'InvalidInput', [{ field: 'name', message: 'x' }])),
      { name: tree.name },
      { messages: { name: 'Enter a shorter name.' } },
    );
    expect(refused?.map((e) => e.message)).toEqual(['Enter a shorter name.']);
    expect(problem()).toBeNull();

    await submitOrExplain(
      problem,
      () => Promise.reject(new ApiError(401, 'Invalid credentials')),
      {},
      {
        overrides: { 401: 'Wrong email or password.' },
        notDone: 'Not signed in.',
      },
    );
    expect(problem()).toBe('Not signed in. Wrong email or password.');
  });
});

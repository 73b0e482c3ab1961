import { signal } from '@angular/core';
import { TestBed } from '@angular/core/testing';
import { form } from '@angular/forms/signals';

import { ApiError } from '../../../core/http/api-error';
import { FIELD_REFUSED, mapServerErrors } from './form-rules';

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

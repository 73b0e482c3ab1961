/**
 * The edge between HttpClient's observables and the rest of the app: data clients await
 * `apiCall(http.get(...))` and get a value or an `ApiError`, never an RxJS stream.
 */
import { Observable, firstValueFrom } from 'rxjs';

import { toApiError } from './api-error';

/** Await the single response of `request`; failures become `ApiError`. */
export async function apiCall<T>(request: Observable<T>): Promise<T> {
  try {
    return await firstValueFrom(request);
  } catch (error) {
    throw toApiError(error);
  }
}

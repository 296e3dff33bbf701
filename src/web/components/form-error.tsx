import { ApiError } from '../api.ts';

/** Words for the codes a person can run into; anything else shows the server's own detail. */
const MESSAGES: Record<string, string> = {
  INVALID_CREDENTIALS: 'That username and password do not match.',
  USERNAME_TAKEN: 'That username is taken. Try another one.',
  UNAUTHENTICATED: 'Your session has ended. Please log in again.',
  NETWORK_ERROR: 'The server could not be reached. Check your connection and try again.',
  PAYLOAD_TOO_LARGE: 'That file is too large (5 MB at most).',
  UNSUPPORTED_MEDIA_TYPE: 'Choose a JPEG, PNG or WebP image.',
  SERVICE_UNAVAILABLE: 'The server is restarting. Try again in a moment.',
  CROSS_SITE_REQUEST: 'This request was refused because it did not come from this site.',
};

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    const fields = error.problem.errors;
    if (error.code === 'VALIDATION_FAILED' && fields?.length)
      return fields
        .map((f) => `${f.path.replace(/^\//, '').replace(/\//g, '.') || 'request'}: ${f.message}`)
        .join('; ');
    return MESSAGES[error.code] ?? error.message;
  }
  return error instanceof Error ? error.message : String(error);
}

export function FormError({ error }: { error: unknown }) {
  if (!error) return null;
  return (
    <p class="form-error" role="alert">
      {errorMessage(error)}
    </p>
  );
}

import { signDevToken, SERVICE_CREDENTIAL_HEADER } from '../../lib/auth.js';

export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';
export const TEST_SERVICE_CREDENTIAL = 'test-service-credential';
export const testAuth = { auth: { jwtSecret: TEST_JWT_SECRET }, serviceCredential: TEST_SERVICE_CREDENTIAL };

export function customerToken(sub: string): Promise<string> {
  return signDevToken(TEST_JWT_SECRET, { sub });
}

export function adminToken(sub = 'admin-1'): Promise<string> {
  return signDevToken(TEST_JWT_SECRET, { sub, admin: true });
}

export const serviceHeaders = { [SERVICE_CREDENTIAL_HEADER]: TEST_SERVICE_CREDENTIAL };

export { CredentialsError, SecretFetchError, SecretFormatError, isSecretNotConfigured, type SecretField, type SecretProblem } from './errors.js';
export { parseSecret, SECRET_TEMPLATE } from './parse-secret.js';
export { SecretsManagerCredentials, type SecretsManagerCredentialsOptions } from './secrets-manager.js';

export { CredentialsError, SecretFetchError, SecretFormatError, isSecretNotConfigured } from './errors.js';
export { parseSecret, SECRET_TEMPLATE } from './parse-secret.js';
export { SecretsManagerCredentials, type SecretsManagerCredentialsOptions } from './secrets-manager.js';

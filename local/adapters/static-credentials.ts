import type { CredentialsProvider } from '../../lambda/ports.js';
import type { XsiamCredentials } from '../../lambda/xsiam/index.js';

/** Credentials known up front: the local XSIAM, or a real tenant given through the CLI's environment. */
export class StaticCredentials implements CredentialsProvider {
  constructor(private readonly credentials: XsiamCredentials) {}

  async get(): Promise<XsiamCredentials> {
    return this.credentials;
  }
}

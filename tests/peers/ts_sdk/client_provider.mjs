// OAuthClientProvider for the SDK's client-side auth(): everything kept in memory, the
// "browser" is a callback supplied by the caller.
import { randomBytes } from 'node:crypto';

export class InMemoryOAuthClientProvider {
  #clientInformation;
  #tokens;
  #codeVerifier;
  #discoveryState;

  /**
   * @param {object} o
   * @param {string} o.redirectUrl                          loopback callback URL
   * @param {(url: URL) => Promise<void>} o.openBrowser      called with the authorization URL
   * @param {string} [o.clientName='ts-sdk-login']
   */
  constructor({ redirectUrl, openBrowser, clientName = 'ts-sdk-login' }) {
    this.redirectUrl = redirectUrl;
    this.openBrowser = openBrowser;
    this.clientMetadata = {
      client_name: clientName,
      redirect_uris: [redirectUrl],
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      token_endpoint_auth_method: 'none',
    };
    this.lastState = undefined; // the state sent in the latest authorization request
  }

  state() {
    this.lastState = randomBytes(16).toString('base64url');
    return this.lastState;
  }

  clientInformation() {
    return this.#clientInformation;
  }

  saveClientInformation(info) {
    this.#clientInformation = info;
  }

  tokens() {
    return this.#tokens;
  }

  saveTokens(tokens) {
    this.#tokens = tokens;
  }

  redirectToAuthorization(authorizationUrl) {
    return this.openBrowser(authorizationUrl);
  }

  saveCodeVerifier(verifier) {
    this.#codeVerifier = verifier;
  }

  codeVerifier() {
    return this.#codeVerifier;
  }

  saveDiscoveryState(state) {
    this.#discoveryState = state;
  }

  discoveryState() {
    return this.#discoveryState;
  }

  invalidateCredentials(scope) {
    if (scope === 'all' || scope === 'client') this.#clientInformation = undefined;
    if (scope === 'all' || scope === 'tokens') this.#tokens = undefined;
    if (scope === 'all' || scope === 'verifier') this.#codeVerifier = undefined;
    if (scope === 'all' || scope === 'discovery') this.#discoveryState = undefined;
  }
}

// Defaults and validation of the fake AS options (documented in ../fake_as.mjs).

export const DEFAULT_OPTIONS = Object.freeze({
  separateAsOrigin: false,
  issuerPath: '',
  issuerTrailingSlash: false,
  issuerInMetadata: null,
  metadataLocation: 'oauth',
  legacy: false,
  legacyNoMetadata: false,
  prmLocation: 'path',
  prmResource: null,
  prmScopesSupported: ['mcp:tools', 'offline_access'],
  scopesSupported: ['mcp:tools', 'offline_access'],
  challengeScope: 'mcp:tools',
  challengeResourceMetadata: true,
  challengeParamOrder: 'metadata-first',
  unauthorizedWithInvalidToken: false,
  noS256: false,
  issParameterSupported: true,
  authorizeIss: 'correct',
  authorizeError: null,
  authorizeErrorDescription: 'The resource owner denied the request',
  stateOverride: null,
  relativeAuthorizeLocation: false,
  noRegistration: false,
  clientIdMetadataDocumentSupported: false,
  invalidClientOnce: false,
  refreshError: null,
  refreshErrorTimes: Infinity,
  rotateRefreshTokens: true,
  revokeGrantOnRefreshReuse: true,
  noRefreshToken: false,
  accessTokenTtl: 3600,
  requireResource: false,
  tokenDelayMs: 0,
  metadataDelayMs: 0,
  oversizedMetadata: false,
  httpEndpoints: false,
  redirectToHttp: false,
  insufficientScopeFor: null,
  mcpResponseFormat: 'json',
});

const ENUMS = {
  metadataLocation: ['oauth', 'oidc', 'oidc-inserted', 'oidc-appended', 'all'],
  prmLocation: ['path', 'root'],
  challengeParamOrder: ['metadata-first', 'scope-first'],
  noS256: [false, true, 'plain', 'absent'],
  authorizeIss: ['correct', 'wrong', 'missing'],
  oversizedMetadata: [false, true, 'prm'],
  redirectToHttp: [false, true, 'prm'],
  mcpResponseFormat: ['json', 'sse'],
};

// Options fixed by the sockets opened at start; set() cannot change them.
const START_ONLY = new Set(['separateAsOrigin']);

// Checks names and enumerated values so a typo in a test fails loudly instead of testing the baseline.
export function validateOptions(changes, { atStart }) {
  for (const [name, value] of Object.entries(changes)) {
    if (!(name in DEFAULT_OPTIONS)) throw new Error(`fake AS: unknown option "${name}"`);
    if (!atStart && START_ONLY.has(name)) throw new Error(`fake AS: "${name}" can only be given at start`);
    if (ENUMS[name] && !ENUMS[name].includes(value)) {
      throw new Error(`fake AS: option "${name}" must be one of ${JSON.stringify(ENUMS[name])}`);
    }
  }
  if (changes.issuerPath && !/^\/[^?#]*[^/?#]$/.test(changes.issuerPath)) {
    throw new Error('fake AS: issuerPath must start with "/" and not end with "/" (e.g. "/tenant1")');
  }
}

export function mergeOptions(current, changes, { atStart = false } = {}) {
  validateOptions(changes, { atStart });
  const merged = { ...current, ...changes };
  if ((merged.legacy || merged.legacyNoMetadata) && (merged.separateAsOrigin || merged.issuerPath)) {
    throw new Error('fake AS: legacy mode puts the AS at the MCP origin root (no separateAsOrigin, no issuerPath)');
  }
  return merged;
}

// Where everything lives: the issuer string, endpoint paths and URLs, the well-known locations.
// Recomputed whenever options change, so set({ issuerTrailingSlash: true }) takes effect at once.

export const MCP_PATH = '/mcp';
const PRM_ROOT = '/.well-known/oauth-protected-resource';
const OAUTH_METADATA = '/.well-known/oauth-authorization-server';
const OIDC_METADATA = '/.well-known/openid-configuration';

export function computeLayout({ resourceOrigin, asOrigin, options }) {
  const legacy = options.legacy || options.legacyNoMetadata;
  const issuerPath = options.issuerPath || '';
  const issuer = asOrigin + issuerPath + (options.issuerTrailingSlash ? '/' : '');
  const paths = {
    authorize: `${issuerPath}/authorize`,
    consent: `${issuerPath}/consent`,
    token: `${issuerPath}/token`,
    register: `${issuerPath}/register`,
    revoke: `${issuerPath}/revoke`,
  };
  const prmPath = legacy ? null : options.prmLocation === 'root' ? PRM_ROOT : PRM_ROOT + MCP_PATH;
  return {
    legacy,
    issuer,
    mcpUrl: resourceOrigin + MCP_PATH,
    resourceOrigin,
    asOrigin,
    paths,
    urls: Object.fromEntries(Object.entries(paths).map(([name, path]) => [name, asOrigin + path])),
    prmPath,
    prmUrl: prmPath && resourceOrigin + prmPath,
    metadataPaths: options.legacyNoMetadata ? [] : metadataPaths(issuerPath, options.metadataLocation),
  };
}

// RFC 8414 section 3.1 inserts the well-known segment before the issuer path; OIDC Discovery
// appends it. Without an issuer path the inserted and appended OIDC forms are the same URL.
function metadataPaths(issuerPath, location) {
  const oauth = OAUTH_METADATA + issuerPath;
  const oidcInserted = OIDC_METADATA + issuerPath;
  const oidcAppended = issuerPath + OIDC_METADATA;
  const byLocation = {
    oauth: [oauth],
    'oidc-inserted': [oidcInserted],
    'oidc-appended': [oidcAppended],
    oidc: [oidcInserted, oidcAppended],
    all: [oauth, oidcInserted, oidcAppended],
  };
  return [...new Set(byLocation[location])];
}

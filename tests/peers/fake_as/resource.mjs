// RFC 8707 resource indicators at the authorize and token endpoints.
import { all, OAuthError } from './http.mjs';

// Appends the request's resource parameter(s) to ctx.resources (null when absent, an array when
// repeated). Called before any validation, so rejected requests are recorded too.
export function recordResource(params, ctx, endpoint, grantType = null) {
  const values = all(params, 'resource');
  ctx.resources.push({
    endpoint,
    grantType,
    resource: values.length === 0 ? null : values.length === 1 ? values[0] : values,
    time: Date.now(),
  });
}

// Each resource must name this MCP server exactly; with requireResource one is mandatory.
// Returns the token audience: the MCP URL, or null when the client sent none.
export function checkResource(params, ctx) {
  const values = all(params, 'resource');
  if (values.length === 0) {
    if (ctx.options.requireResource) throw new OAuthError('invalid_target', 'resource is required');
    return null;
  }
  const unknown = values.find((value) => value !== ctx.layout.mcpUrl);
  if (unknown !== undefined) throw new OAuthError('invalid_target', `unknown resource ${unknown}`);
  return ctx.layout.mcpUrl;
}

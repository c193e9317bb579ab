import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';

/** One answer as a client received it, for checking against the OpenAPI document. */
export interface ReceivedAnswer {
  method: string;
  /** As requested: a query string is ignored. */
  path: string;
  status: number;
  headers: Headers;
  /** The body as text; undefined when it was not read (a stream, a HEAD). */
  text: string | undefined;
}

interface Operation {
  responses: Record<string, DocumentedResponse>;
}

interface DocumentedResponse {
  headers?: Record<string, { required?: boolean }>;
  content?: Record<string, { schema?: object }>;
}

interface Route {
  template: string;
  pattern: RegExp;
  /** Templates with fewer parameters win: `/v1/tickets/search` before `/v1/tickets/{id}`. */
  parameters: number;
}

/** The document itself is served beside the routes it describes, not among them. */
const DOCUMENT_PATH = '/docs/openapi.json';

const SCHEMA_LISTS = ['allOf', 'anyOf', 'oneOf'] as const;

/**
 * A schema of the document as JSON Schema, read strictly: OpenAPI 3.0's
 * `nullable: true` becomes "or null" (Ajv's own support needs a `type` beside
 * it, and the document also puts it beside `allOf` and `enum`), and an object
 * with `properties` has no others unless it says so, so a field the server
 * adds without documenting it is caught too.
 */
function asJsonSchema(schema: unknown): unknown {
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return schema;
  const { nullable, ...rest } = schema as Record<string, unknown>;
  const converted: Record<string, unknown> = { ...rest };
  if (rest.properties !== undefined) {
    converted.properties = Object.fromEntries(
      Object.entries(rest.properties as Record<string, unknown>).map(([name, property]) => [
        name,
        asJsonSchema(property),
      ]),
    );
  }
  if (rest.properties !== undefined && rest.additionalProperties === undefined) {
    converted.additionalProperties = false;
  }
  for (const key of ['items', 'additionalProperties', 'not']) {
    if (rest[key] !== undefined) converted[key] = asJsonSchema(rest[key]);
  }
  for (const key of SCHEMA_LISTS) {
    if (Array.isArray(rest[key])) converted[key] = (rest[key] as unknown[]).map(asJsonSchema);
  }
  return nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

function mapValues<T, U>(record: Record<string, T>, map: (value: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, map(value)]));
}

function responseAsJsonSchema(response: DocumentedResponse): DocumentedResponse {
  const content = mapValues(response.content ?? {}, (media) => ({
    schema: asJsonSchema(media.schema) as object | undefined,
  }));
  return { ...response, content };
}

/** What Ajv is given: the document's component schemas and answer schemas, in JSON Schema. */
function withJsonSchemas(document: OpenAPIObject): object {
  const paths = mapValues(document.paths as Record<string, Record<string, Operation>>, (item) =>
    mapValues(item, (operation) =>
      operation.responses === undefined
        ? operation
        : { responses: mapValues(operation.responses, responseAsJsonSchema) },
    ),
  );
  const schemas = mapValues(document.components?.schemas ?? {}, asJsonSchema);
  return { components: { schemas }, paths };
}

function routeOf(template: string): Route {
  let parameters = 0;
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      if (!part.startsWith('{')) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
      parameters++;
      return '[^/]+';
    })
    .join('');
  return { template, pattern: new RegExp(`^${source}$`), parameters };
}

/** A JSON pointer token, as it stands in a URI fragment. */
function pointerToken(token: string): string {
  return encodeURIComponent(token.replace(/~/g, '~0').replace(/\//g, '~1'));
}

function mediaTypeOf(headers: Headers): string | undefined {
  return headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function isJson(mediaType: string): boolean {
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .map(
      (error) =>
        `${error.instancePath || '(body)'} ${error.message ?? ''} ${JSON.stringify(error.params)}`,
    )
    .join('; ');
}

/**
 * What the OpenAPI document says of an answer: its status is documented for
 * the operation, the headers it marks required are there, and the body is of
 * a documented media type and validates against that type's schema.
 */
export class OpenApiConformance {
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenAPIObject) {
    addFormats(this.ajv);
    this.ajv.addSchema(withJsonSchemas(document), 'openapi.json');
    this.routes = Object.keys(document.paths)
      .map(routeOf)
      .sort((a, b) => a.parameters - b.parameters);
  }

  /** Throws an Error naming the request, the status and every way the answer is off the document. */
  check(answer: ReceivedAnswer): void {
    const problems = this.problemsOf(answer);
    if (problems.length === 0) return;
    const text = answer.text === undefined ? '(not read)' : answer.text.slice(0, 500);
    throw new Error(
      `${answer.method} ${answer.path} answered ${answer.status}, off the OpenAPI document:\n` +
        `${problems.map((problem) => `- ${problem}`).join('\n')}\nbody: ${text}`,
    );
  }

  private problemsOf(answer: ReceivedAnswer): string[] {
    const path = answer.path.split('?')[0] ?? '';
    if (path === DOCUMENT_PATH) return [];
    const route = this.routes.find((candidate) => candidate.pattern.test(path));
    if (route === undefined) {
      return answer.status === 404 ? [] : ['the document has no route for this path'];
    }
    const item = this.document.paths[route.template] as Record<string, Operation>;
    const method = answer.method.toLowerCase();
    // HEAD is GET without the body, wherever the document names no HEAD of its own.
    const documented = method === 'head' && item.head === undefined ? 'get' : method;
    const operation = item[documented];
    if (operation === undefined) {
      return answer.status === 404
        ? []
        : [`the document has no ${answer.method} ${route.template}`];
    }
    const statusKey = [String(answer.status), `${String(answer.status)[0]}XX`, 'default'].find(
      (key) => operation.responses[key] !== undefined,
    );
    if (statusKey === undefined) {
      return [
        `status ${answer.status} is not documented for ${answer.method} ${route.template} ` +
          `(documented: ${Object.keys(operation.responses).join(', ')})`,
      ];
    }
    const response = operation.responses[statusKey]!;
    const missingHeaders = Object.entries(response.headers ?? {})
      .filter(([name, header]) => header.required === true && !answer.headers.has(name))
      .map(([name]) => `required header ${name} is missing`);
    const pointer = ['paths', route.template, documented, 'responses', statusKey];
    // A HEAD answer has GET's headers and no body: its media type is checked, nothing else.
    const text = method === 'head' ? undefined : answer.text;
    return [...missingHeaders, ...this.bodyProblems(answer, text, response, pointer)];
  }

  private bodyProblems(
    answer: ReceivedAnswer,
    text: string | undefined,
    response: DocumentedResponse,
    pointer: string[],
  ): string[] {
    const mediaType = mediaTypeOf(answer.headers);
    if (text === '' || (text === undefined && mediaType === undefined)) return [];
    const content = response.content ?? {};
    const documentedTypes = Object.keys(content);
    if (mediaType === undefined || !documentedTypes.includes(mediaType)) {
      return [
        `a body of type ${mediaType ?? '(none)'} is not documented for status ${answer.status} ` +
          `(documented: ${documentedTypes.join(', ') || 'no body'})`,
      ];
    }
    if (text === undefined || content[mediaType]?.schema === undefined) return [];
    let body: unknown = text;
    if (isJson(mediaType)) {
      try {
        body = JSON.parse(text);
      } catch {
        return [`the body is not ${mediaType}`];
      }
    }
    const validate = this.validatorFor([...pointer, 'content', mediaType, 'schema']);
    return validate(body)
      ? []
      : [`the body does not match its schema: ${describeErrors(validate.errors)}`];
  }

  private validatorFor(pointer: string[]): ValidateFunction {
    const ref = `openapi.json#/${pointer.map(pointerToken).join('/')}`;
    let validate = this.validators.get(ref);
    if (validate === undefined) {
      validate = this.ajv.compile({ $ref: ref });
      this.validators.set(ref, validate);
    }
    return validate;
  }
}

const served = new Map<string, { load: () => OpenAPIObject; conformance?: OpenApiConformance }>();

/** Names the document the server at `baseUrl` serves, read on the first answer checked. */
export function serveDocument(baseUrl: string, load: () => OpenAPIObject): void {
  served.set(baseUrl, { load });
}

/** Checks an answer of the server at `baseUrl` against its document: see `OpenApiConformance.check`. */
export function checkAnswer(baseUrl: string, answer: ReceivedAnswer): void {
  const server = served.get(baseUrl);
  if (server === undefined) throw new Error(`No OpenAPI document is known for ${baseUrl}`);
  server.conformance ??= new OpenApiConformance(server.load());
  server.conformance.check(answer);
}

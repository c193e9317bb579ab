import { applyDecorators, Controller, Get, Header, Headers, Inject, Res } from '@nestjs/common';
import {
  ApiHeader,
  ApiNotModifiedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiProperty,
  ApiServiceUnavailableResponse,
  ApiTags,
} from '@nestjs/swagger';
import { APP_CONFIG, type AppConfig } from '@ledger/runtime';
import type { FastifyReply } from 'fastify';
import { ApiError } from '../http/api-error';
import { ErrorBodyDto } from '../http/error-body.dto';
import { Public } from '../identity/access.decorator';
import { DashboardAssets, type DashboardFile } from './dashboard-assets';

/**
 * The page may load its own script and style, and read this API; nothing
 * else, from nowhere else. The credential it holds can only go back here,
 * or, when it signs in through the identity provider, to the provider's
 * origin (its discovery document and token endpoint).
 */
function contentSecurityPolicy(issuer: string | undefined): string {
  const connect = issuer === undefined ? "'self'" : `'self' ${new URL(issuer).origin}`;
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src ${connect}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

class DashboardOidcDto {
  @ApiProperty({ example: 'https://id.example.com/realms/support' })
  issuer!: string;

  @ApiProperty({ example: 'escalation-dashboard', description: 'AUTH_CLIENT_ID' })
  clientId!: string;
}

class DashboardConfigDto {
  @ApiProperty({
    type: DashboardOidcDto,
    nullable: true,
    description: 'The identity provider the page may sign in with; null: API keys only',
  })
  oidc!: DashboardOidcDto | null;
}

/** What an asset route answers, for the OpenAPI document. */
function AssetAnswers(type: string, what: string) {
  return applyDecorators(
    ApiProduces(type),
    ApiHeader({ name: 'If-None-Match', required: false, description: 'The ETag of a copy held' }),
    ApiOkResponse({ description: what, content: { [type]: { schema: { type: 'string' } } } }),
    ApiNotModifiedResponse({ description: 'The copy held (If-None-Match) is current' }),
    ApiServiceUnavailableResponse({
      type: ErrorBodyDto,
      description: 'DASHBOARD_NOT_BUILT: the assets are not built (npm run build builds them)',
    }),
  );
}

/**
 * The analysts' dashboard: a static page, its script and its stylesheet,
 * public like the OpenAPI document. Every number it shows comes from the
 * API's guarded routes, read with the credential the reader signs in with.
 */
@ApiTags('dashboard')
@Controller('dashboard')
export class DashboardController {
  private readonly policy: string;

  constructor(
    private readonly assets: DashboardAssets,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.policy = contentSecurityPolicy(
      config.auth.oidc?.clientId === undefined ? undefined : config.auth.oidc.issuer,
    );
  }

  @Public()
  @Get('config.json')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({
    summary: 'Dashboard sign-in settings',
    description:
      'How the page may sign in: with an API key, and with the identity provider when one is configured.',
  })
  @ApiOkResponse({ type: DashboardConfigDto })
  settings(): DashboardConfigDto {
    const oidc = this.config.auth.oidc;
    return {
      oidc: oidc?.clientId === undefined ? null : { issuer: oidc.issuer, clientId: oidc.clientId },
    };
  }

  @Public()
  @Get()
  @ApiOperation({
    summary: 'Dashboard page',
    description:
      'The analysts’ dashboard: it signs in, then reads the API with that credential (docs/dashboard.md).',
  })
  @AssetAnswers('text/html', 'The page')
  page(@Headers('if-none-match') held: string | undefined, @Res() reply: FastifyReply) {
    return this.send('index.html', held, reply);
  }

  @Public()
  @Get('app.js')
  @ApiOperation({
    summary: 'Dashboard script',
    description: 'The dashboard’s script, bundled by npm run build.',
  })
  @AssetAnswers('text/javascript', 'The script')
  script(@Headers('if-none-match') held: string | undefined, @Res() reply: FastifyReply) {
    return this.send('app.js', held, reply);
  }

  @Public()
  @Get('app.css')
  @ApiOperation({
    summary: 'Dashboard stylesheet',
    description: 'The dashboard’s stylesheet, bundled by npm run build.',
  })
  @AssetAnswers('text/css', 'The stylesheet')
  style(@Headers('if-none-match') held: string | undefined, @Res() reply: FastifyReply) {
    return this.send('app.css', held, reply);
  }

  private async send(file: DashboardFile, held: string | undefined, reply: FastifyReply) {
    const asset = await this.assets.get(file);
    if (!asset) {
      throw new ApiError(
        503,
        'DASHBOARD_NOT_BUILT',
        'The dashboard is not built: npm run build (or npm start) builds it',
      );
    }
    void reply
      .header('etag', asset.etag)
      // Revalidated on every load: a rebuilt dashboard is picked up at once.
      .header('cache-control', 'no-cache')
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer');
    if (file === 'index.html') void reply.header('content-security-policy', this.policy);
    if (held === asset.etag) return reply.code(304).send();
    return reply.type(asset.type).send(asset.body);
  }
}

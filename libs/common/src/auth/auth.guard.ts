import { CanActivate, ExecutionContext, Injectable, Logger, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { JwtService } from '@nestjs/jwt';
import { AppError, forbidden } from '../errors/app-error';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { Principal, Role } from './roles';
import { SessionValidator } from './sessions';

/**
 * The one global guard: authenticates the bearer token, then checks the route's roles.
 * Deny by default: a route that declares neither @Public nor @Roles is refused, so no
 * endpoint can be exposed by forgetting a decorator.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly logger = new Logger(AuthGuard.name);

  constructor(
    private readonly reflector: Reflector,
    private readonly jwt: JwtService,
    private readonly sessions: SessionValidator,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    if (ctx.getType() !== 'http') return true;
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);

    const req = ctx.switchToHttp().getRequest();
    const header: string | undefined = req.headers?.authorization;
    const match = header?.match(/^Bearer\s+(\S+)$/i);
    if (!match) throw new AppError(401, 'UNAUTHORIZED', 'A bearer token is required');
    let principal: Principal;
    let tokenVersion: number;
    try {
      const payload = await this.jwt.verifyAsync(match[1]);
      principal = { userId: Number(payload.sub), username: payload.username, organizationId: payload.organizationId, role: payload.role };
      tokenVersion = payload.tv;
    } catch {
      throw new AppError(401, 'UNAUTHORIZED', 'The token is invalid or expired');
    }
    // Logout, a password change or disabling the user ends every token issued before it.
    if (!Number.isSafeInteger(tokenVersion) || !Number.isSafeInteger(principal.userId) || !(await this.sessions.isCurrent(principal.userId, tokenVersion)))
      throw new AppError(401, 'UNAUTHORIZED', 'The token is invalid or expired');
    req.user = principal;

    if (!roles) {
      this.logger.error(`Route ${ctx.getClass().name}.${ctx.getHandler().name} declares no roles; refusing`);
      throw forbidden('This endpoint declares no roles');
    }
    if (!roles.includes(principal.role)) throw forbidden(`Role ${principal.role} may not call this endpoint`);
    return true;
  }
}

export { UnauthorizedException };

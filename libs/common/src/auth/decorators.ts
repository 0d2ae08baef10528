import { applyDecorators, createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth } from '@nestjs/swagger';
import { ApiErrors } from '../http/openapi';
import { Principal, Role } from './roles';

export const ROLES_KEY = 'jicai:roles';
export const PUBLIC_KEY = 'jicai:public';

/**
 * Every endpoint states who may call it: @Roles(...) or @Public(). Routes with neither are refused.
 * In the OpenAPI document a protected route needs the bearer token and answers 401 and 403.
 */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiBearerAuth(), ApiErrors(401, 403));
export const AnyRole = () => applyDecorators(SetMetadata(ROLES_KEY, Object.values(Role)), ApiBearerAuth(), ApiErrors(401, 403));
export const Public = () => SetMetadata(PUBLIC_KEY, true);

export const CurrentUser = createParamDecorator((_: unknown, ctx: ExecutionContext): Principal => {
  return ctx.switchToHttp().getRequest().user as Principal;
});

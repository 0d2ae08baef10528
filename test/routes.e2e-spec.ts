import { RequestMethod } from '@nestjs/common';
import { PATH_METADATA, METHOD_METADATA } from '@nestjs/common/constants';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { PUBLIC_KEY, ROLES_KEY } from '@jicai/common';
import { createTestApp, TestApp } from './helpers/test-app';

/** Every endpoint states who may call it (issue: guards and decorators for every endpoint). */
describe('route declarations', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ worker: false });
  });
  afterAll(async () => t?.close());

  it('every route declares @Roles, @AnyRole or @Public, and only health, login and activation are public', async () => {
    const discovery = t.app.get(DiscoveryService);
    const scanner = new MetadataScanner();
    const reflector = t.app.get(Reflector);
    const undeclared: string[] = [];
    const publicRoutes: string[] = [];
    let routes = 0;
    for (const wrapper of discovery.getControllers()) {
      const instance = wrapper.instance as object | undefined;
      if (!instance) continue;
      const proto = Object.getPrototypeOf(instance);
      const base = Reflect.getMetadata(PATH_METADATA, proto.constructor) as string;
      for (const name of scanner.getAllMethodNames(proto)) {
        const handler = proto[name];
        const path = Reflect.getMetadata(PATH_METADATA, handler);
        if (path === undefined) continue;
        routes++;
        const label = `${RequestMethod[Reflect.getMetadata(METHOD_METADATA, handler)]} /${[base, path].filter((p) => p && p !== '/').join('/')}`;
        const isPublic = reflector.getAllAndOverride(PUBLIC_KEY, [handler, proto.constructor]);
        const roles = reflector.getAllAndOverride(ROLES_KEY, [handler, proto.constructor]);
        if (isPublic) publicRoutes.push(label);
        else if (!roles?.length) undeclared.push(label);
      }
    }
    expect(routes).toBeGreaterThan(10);
    expect(undeclared).toEqual([]);
    expect(publicRoutes.sort()).toEqual(['GET /health', 'POST /auth/activate', 'POST /auth/login']);
  });
});

import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ok, setUnauthorizedHandler, tokenStore, type Schemas } from './api/client';

/** Who is logged in: the login answer's user, with its organisation's name once GET /auth/me answered. */
export type Me = Schemas['UserDto'] & Partial<Pick<Schemas['MeDto'], 'organizationName'>>;
export type Role = Me['role'];

interface Auth {
  me: Me | null;
  login(username: string, password: string): Promise<Me>;
  logout(): Promise<void>;
}

const Ctx = createContext<Auth | null>(null);
const ME_KEY = 'jicai.me';

export function AuthProvider({ children }: { children: ReactNode }) {
  const qc = useQueryClient();
  const [me, setMe] = useState<Me | null>(() => {
    const raw = sessionStorage.getItem(ME_KEY);
    return raw && tokenStore.get() ? (JSON.parse(raw) as Me) : null;
  });
  const forget = useCallback(() => {
    tokenStore.set(null);
    sessionStorage.removeItem(ME_KEY);
    setMe(null);
    qc.clear();
  }, [qc]);
  useEffect(() => setUnauthorizedHandler(forget), [forget]);
  const value = useMemo<Auth>(
    () => ({
      me,
      async login(username, password) {
        const body = await ok(api.POST('/api/v1/auth/login', { body: { username, password } }));
        tokenStore.set(body.accessToken);
        // who am I: the organisation's name beside the role in the header
        const me: Me = await ok(api.GET('/api/v1/auth/me')).catch(() => body.user);
        sessionStorage.setItem(ME_KEY, JSON.stringify(me));
        setMe(me);
        return me;
      },
      async logout() {
        // ends every token of this user on the server (token version), then forgets it here
        await api.POST('/api/v1/auth/logout').catch(() => undefined);
        forget();
      },
    }),
    [me, forget],
  );
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useAuth(): Auth {
  const v = useContext(Ctx);
  if (!v) throw new Error('useAuth outside AuthProvider');
  return v;
}

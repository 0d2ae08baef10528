import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { api, ok, setUnauthorizedHandler, tokenStore } from './api/client';

export type Role = 'ADMIN' | 'SUPPLIER' | 'HOSPITAL' | 'FUND';
export interface Me {
  id: number;
  username: string;
  organizationId: number;
  role: Role;
  organizationName?: string;
}

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
        const res = await ok(api.POST('/api/v1/auth/login', { body: { username, password } }));
        const body = res as unknown as { accessToken: string; user: Me };
        tokenStore.set(body.accessToken);
        sessionStorage.setItem(ME_KEY, JSON.stringify(body.user));
        setMe(body.user);
        return body.user;
      },
      async logout() {
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

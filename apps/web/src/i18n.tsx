import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import zhCN from 'antd/locale/zh_CN';
import enUS from 'antd/locale/en_US';
import { zh, en, type Messages } from './messages';

export type Lang = 'zh-CN' | 'en-US';
const LANG_KEY = 'jicai.lang';

interface I18n {
  lang: Lang;
  setLang(l: Lang): void;
  t(key: keyof Messages, vars?: Record<string, string | number>): string;
  antdLocale: typeof zhCN;
}

const Ctx = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(() => (localStorage.getItem(LANG_KEY) === 'en-US' ? 'en-US' : 'zh-CN'));
  const value = useMemo<I18n>(() => {
    const dict = lang === 'zh-CN' ? zh : en;
    return {
      lang,
      setLang(l) {
        localStorage.setItem(LANG_KEY, l);
        document.documentElement.lang = l;
        setLangState(l);
      },
      t(key, vars) {
        let s: string = dict[key] ?? zh[key] ?? String(key);
        if (vars) for (const [k, v] of Object.entries(vars)) s = s.replaceAll(`{${k}}`, String(v));
        return s;
      },
      antdLocale: lang === 'zh-CN' ? zhCN : enUS,
    };
  }, [lang]);
  return <Ctx.Provider value={value}>{children}</Ctx.Provider>;
}

export function useI18n(): I18n {
  const v = useContext(Ctx);
  if (!v) throw new Error('useI18n outside I18nProvider');
  return v;
}

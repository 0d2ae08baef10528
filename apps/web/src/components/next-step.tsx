import { Empty, Typography } from 'antd';
import { Link } from 'react-router';
import { useI18n } from '../i18n';
import type { Messages } from '../messages';

/** An empty list's message that names the next action, with a link to where it is done (or to the guide). */
export function NextStep({ text, to = '/help', link = 'menu_help' }: { text: keyof Messages; to?: string; link?: keyof Messages }) {
  const { t } = useI18n();
  return (
    <Empty
      description={
        <Typography.Text type="secondary">
          {t(text)}{' '}
          <Link to={to} style={{ textDecoration: 'underline' }}>
            {t(link)}
          </Link>
        </Typography.Text>
      }
    />
  );
}

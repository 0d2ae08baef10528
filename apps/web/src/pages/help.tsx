import { Alert, Card, Typography } from 'antd';
import { Link } from 'react-router';
import { useAuth } from '../auth';
import { homeOf } from '../layout';
import { GUIDE_STEPS } from '../messages-console2';
import { useI18n } from '../i18n';

/** The console's own "first round" guide: the README's steps, in the user's language. */
export default function HelpPage() {
  const { t, lang } = useI18n();
  const { me } = useAuth();
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('help_title')}
        </Typography.Title>
      }
    >
      <Alert type="info" showIcon message={t('help_intro')} style={{ marginBottom: 24 }} />
      <ol style={{ paddingInlineStart: 24, lineHeight: 2 }}>
        {GUIDE_STEPS[lang].map((step) => (
          <li key={step}>
            <Typography.Text>{step}</Typography.Text>
          </li>
        ))}
      </ol>
      <Typography.Paragraph type="secondary">{t('help_readme')}</Typography.Paragraph>
      {me && (
        <Link to={homeOf(me.role)} style={{ textDecoration: 'underline' }}>
          {t('home')} →
        </Link>
      )}
    </Card>
  );
}

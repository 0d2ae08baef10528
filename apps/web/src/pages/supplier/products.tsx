import type { Schemas } from '../../api/client';
import { Card, Typography } from 'antd';
import { api, ok } from '../../api/client';
import { PagedTable } from '../../components/paged-table';
import { useAuth } from '../../auth';
import { NextStep } from '../../components/next-step';
import { useI18n } from '../../i18n';
import type { Messages } from '../../messages';

type Product = Schemas['ProductDto'];

export default function SupplierProductsPage() {
  const { t } = useI18n();
  const { me } = useAuth();
  return (
    <Card
      title={
        <Typography.Title level={4} style={{ margin: 0 }}>
          {t('menu_products')}
        </Typography.Title>
      }
    >
      <PagedTable<Product>
        emptyText={<NextStep text="next_supplierProducts" />}
        queryKey={['products', me?.organizationId]}
        fetchPage={(limit, offset) =>
          ok(api.GET('/api/v1/catalog/products', { params: { query: { supplierId: me?.organizationId, limit, offset } as never } }))
        }
        columns={[
          { title: t('genericName'), dataIndex: 'genericName' },
          { title: t('dosageForm'), dataIndex: 'dosageForm' },
          { title: t('strength'), render: (_, p) => `${p.strength.value} ${p.strength.unit}` },
          { title: t('packSize'), render: (_, p) => `${p.packSize} ${p.smallestUnit}` },
          { title: t('qualityTier'), dataIndex: 'qualityTier', render: (v: string) => t(`tier_${v}` as keyof Messages) },
          { title: t('approvalNumber'), dataIndex: 'approvalNumber' },
        ]}
      />
    </Card>
  );
}

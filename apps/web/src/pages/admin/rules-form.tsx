import { Button, Col, Form, Input, InputNumber, Radio, Row, Select, Space, Switch, Typography, type FormInstance } from 'antd';
import { useI18n } from '../../i18n';
import type { Messages } from '../../messages';

/** A batch's rules as the API takes them (POST /batches `rules`: the document types it as an open object). */
type Rules = Record<string, unknown>;

export const DOSAGE_FORM_CLASSES = ['ORAL_SOLID', 'SMALL_VOLUME_INJECTION', 'LARGE_VOLUME_INJECTION', 'OTHER'] as const;
type DosageFormClass = (typeof DOSAGE_FORM_CLASSES)[number];

/**
 * The form's fields for the rules with a control of their own (domain.md 5, 13 and 15), named
 * `r_*` so they never clash with the batch's own fields; their initial values are the defaults of
 * libs/batches batch-rules.rules.ts (DEFAULT_RULES).
 */
export interface RuleFields {
  r_gateAnchor: 'LOWEST' | 'MAX_LOWEST_HALF_AVERAGE';
  r_gateRatioOn: boolean;
  r_gateRatio: string;
  r_gateReductionOn: boolean;
  r_gateReduction: string;
  r_gateFloorMode: 'ALL' | 'BY_CLASS' | 'OFF';
  r_gateFloor: string;
  r_gateFloorByClass: Partial<Record<DosageFormClass, string>>;
  r_publicityDays: number;
  r_abnormalLowOn: boolean;
  r_abnormalLowRatio: string;
  r_revival: 'NONE' | 'ACCEPT_HIGHEST_WINNING_PRICE';
  r_revivalIncludesRanked: boolean;
  r_revivalHours: number;
  r_revivalCountsForVolume: boolean;
  r_termByWinnersOn: boolean;
  r_termByWinners: { winners: number; months: number }[];
  r_transition: 'NONE' | 'NHSA_2019';
  r_transitionYears: number;
}

export const RULE_FIELD_DEFAULTS: RuleFields = {
  r_gateAnchor: 'LOWEST',
  r_gateRatioOn: true,
  r_gateRatio: '1.8',
  r_gateReductionOn: true,
  r_gateReduction: '0.5',
  r_gateFloorMode: 'ALL',
  r_gateFloor: '0.1000',
  r_gateFloorByClass: { ORAL_SOLID: '0.1000' },
  r_publicityDays: 3,
  r_abnormalLowOn: false,
  r_abnormalLowRatio: '0.5',
  r_revival: 'NONE',
  r_revivalIncludesRanked: false,
  r_revivalHours: 48,
  r_revivalCountsForVolume: false,
  r_termByWinnersOn: false,
  r_termByWinners: [
    { winners: 1, months: 12 },
    { winners: 3, months: 24 },
  ],
  r_transition: 'NONE',
  r_transitionYears: 2,
};

/** The rules these fields say, as the API takes them: a switched-off gate is null, a blank class has no floor. */
export function rulesOfFields(v: RuleFields): Rules {
  const byClass: Record<string, string> = {};
  for (const c of DOSAGE_FORM_CLASSES) {
    const x = v.r_gateFloorByClass?.[c]?.trim();
    if (x) byClass[c] = x;
  }
  return {
    gateAnchor: v.r_gateAnchor,
    gateRatio: v.r_gateRatioOn ? v.r_gateRatio.trim() : null,
    gateReduction: v.r_gateReductionOn ? v.r_gateReduction.trim() : null,
    gateFloor: v.r_gateFloorMode === 'OFF' ? null : v.r_gateFloorMode === 'BY_CLASS' ? byClass : v.r_gateFloor.trim(),
    publicityDays: v.r_publicityDays,
    abnormalLowRatio: v.r_abnormalLowOn ? v.r_abnormalLowRatio.trim() : null,
    revival: v.r_revival,
    revivalIncludesRanked: v.r_revivalIncludesRanked,
    revivalHours: v.r_revivalHours,
    revivalCountsForVolume: v.r_revivalCountsForVolume,
    termByWinners: v.r_termByWinnersOn ? v.r_termByWinners.map((r) => ({ winners: r.winners, months: r.months })) : null,
    transition: v.r_transition,
    transitionYears: v.r_transitionYears,
  };
}

const decimal = /^\d+(\.\d+)?$/;

/** The rules of domain.md 15 (and the gates of 5) as controls, each with its default and a one-line explanation. */
export function RuleControls({ form }: { form: FormInstance }) {
  const { t } = useI18n();
  const w = (name: keyof RuleFields) => Form.useWatch(name, form) as unknown;
  const ratioOn = w('r_gateRatioOn') !== false;
  const reductionOn = w('r_gateReductionOn') !== false;
  const floorMode = (w('r_gateFloorMode') as RuleFields['r_gateFloorMode'] | undefined) ?? 'ALL';
  const abnormalOn = w('r_abnormalLowOn') === true;
  const revival = (w('r_revival') as RuleFields['r_revival'] | undefined) ?? 'NONE';
  const termOn = w('r_termByWinnersOn') === true;
  const transition = (w('r_transition') as RuleFields['r_transition'] | undefined) ?? 'NONE';
  const label = (k: string) => t(`rule_${k}` as keyof Messages);
  const help = (k: string) => t(`rule_${k}_help` as keyof Messages);
  const decimalRule = { pattern: decimal, message: t('decimalInvalid') };
  const onOff = (name: keyof RuleFields, what: string) => (
    <Form.Item name={name} valuePropName="checked" noStyle>
      <Switch checkedChildren={t('ruleOn')} unCheckedChildren={t('ruleOff')} aria-label={`${what} ${t('ruleOn')}`} />
    </Form.Item>
  );
  return (
    <Row gutter={16}>
      <Col span={12}>
        <Form.Item label={label('gateAnchor')} name="r_gateAnchor" extra={help('gateAnchor')}>
          <Select options={(['LOWEST', 'MAX_LOWEST_HALF_AVERAGE'] as const).map((v) => ({ value: v, label: t(`anchor_${v}`) }))} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item label={label('gateRatio')} extra={help('gateRatio')} required={false}>
          <Space>
            {onOff('r_gateRatioOn', label('gateRatio'))}
            <Form.Item name="r_gateRatio" noStyle rules={ratioOn ? [{ required: true }, decimalRule] : []}>
              <Input disabled={!ratioOn} inputMode="decimal" style={{ width: 120 }} aria-label={label('gateRatio')} />
            </Form.Item>
          </Space>
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item label={label('gateReduction')} extra={help('gateReduction')}>
          <Space>
            {onOff('r_gateReductionOn', label('gateReduction'))}
            <Form.Item name="r_gateReduction" noStyle rules={reductionOn ? [{ required: true }, decimalRule] : []}>
              <Input disabled={!reductionOn} inputMode="decimal" style={{ width: 120 }} aria-label={label('gateReduction')} />
            </Form.Item>
          </Space>
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item label={t('gateFloorMode')} name="r_gateFloorMode" extra={help('gateFloor')}>
          <Radio.Group optionType="button" options={(['ALL', 'BY_CLASS', 'OFF'] as const).map((v) => ({ value: v, label: t(`gateFloorMode_${v}`) }))} />
        </Form.Item>
      </Col>
      {floorMode === 'ALL' && (
        <Col span={12}>
          <Form.Item label={label('gateFloor')} name="r_gateFloor" rules={[{ required: true }, decimalRule]}>
            <Input inputMode="decimal" style={{ width: 140 }} />
          </Form.Item>
        </Col>
      )}
      {floorMode === 'BY_CLASS' && (
        <Col span={24}>
          <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
            {t('gateFloorByClass_help')}
          </Typography.Paragraph>
          <Row gutter={16}>
            {DOSAGE_FORM_CLASSES.map((c) => (
              <Col span={6} key={c}>
                <Form.Item label={t(`dosageClass_${c}`)} name={['r_gateFloorByClass', c]} rules={[{ pattern: decimal, message: decimalRule.message }]}>
                  <Input inputMode="decimal" placeholder="—" />
                </Form.Item>
              </Col>
            ))}
          </Row>
        </Col>
      )}
      <Col span={12}>
        <Form.Item label={label('publicityDays')} name="r_publicityDays" extra={help('publicityDays')} rules={[{ required: true }]}>
          <InputNumber min={0} max={365} precision={0} style={{ width: 140 }} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item label={label('abnormalLowRatio')} extra={help('abnormalLowRatio')}>
          <Space>
            {onOff('r_abnormalLowOn', label('abnormalLowRatio'))}
            <Form.Item name="r_abnormalLowRatio" noStyle rules={abnormalOn ? [{ required: true }, decimalRule] : []}>
              <Input disabled={!abnormalOn} inputMode="decimal" style={{ width: 120 }} aria-label={label('abnormalLowRatio')} />
            </Form.Item>
          </Space>
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item label={label('revival')} name="r_revival" extra={help('revival')}>
          <Select options={(['NONE', 'ACCEPT_HIGHEST_WINNING_PRICE'] as const).map((v) => ({ value: v, label: t(`revival_${v}`) }))} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item label={label('revivalHours')} name="r_revivalHours" extra={help('revivalHours')} rules={[{ required: true }]}>
          <InputNumber min={1} max={2160} precision={0} disabled={revival === 'NONE'} style={{ width: 140 }} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item label={label('revivalIncludesRanked')} name="r_revivalIncludesRanked" valuePropName="checked" extra={help('revivalIncludesRanked')}>
          <Switch disabled={revival === 'NONE'} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item label={label('revivalCountsForVolume')} name="r_revivalCountsForVolume" valuePropName="checked" extra={help('revivalCountsForVolume')}>
          <Switch disabled={revival === 'NONE'} />
        </Form.Item>
      </Col>
      <Col span={24}>
        <Form.Item label={label('termByWinners')} extra={help('termByWinners')}>
          {onOff('r_termByWinnersOn', label('termByWinners'))}
        </Form.Item>
        {termOn && (
          <Form.List name="r_termByWinners">
            {(fields, { add, remove }) => (
              <Space direction="vertical" style={{ marginBottom: 16 }}>
                {fields.map((f) => (
                  <Space key={f.key} align="baseline">
                    <Form.Item name={[f.name, 'winners']} label={t('termWinners')} rules={[{ required: true }]}>
                      <InputNumber min={1} precision={0} style={{ width: 90 }} />
                    </Form.Item>
                    <Form.Item name={[f.name, 'months']} label={t('termMonths')} rules={[{ required: true }]}>
                      <Select style={{ width: 100 }} options={[12, 24, 36].map((m) => ({ value: m, label: m }))} />
                    </Form.Item>
                    <Button onClick={() => remove(f.name)} aria-label="−">
                      −
                    </Button>
                  </Space>
                ))}
                <Button onClick={() => add({ winners: (fields.length ? fields.length : 0) + 1, months: 24 })}>{t('addTermRow')}</Button>
              </Space>
            )}
          </Form.List>
        )}
      </Col>
      <Col span={12}>
        <Form.Item label={label('transition')} name="r_transition" extra={help('transition')}>
          <Select options={(['NONE', 'NHSA_2019'] as const).map((v) => ({ value: v, label: t(`transition_${v}`) }))} />
        </Form.Item>
      </Col>
      <Col span={12}>
        <Form.Item label={label('transitionYears')} name="r_transitionYears" extra={help('transitionYears')} rules={[{ required: true }]}>
          <InputNumber min={1} max={5} precision={0} disabled={transition === 'NONE'} style={{ width: 140 }} />
        </Form.Item>
      </Col>
    </Row>
  );
}

import { AppError } from '@jicai/common';
import { contentDisposition, RequiredFilePipe, xlsxFile, XLSX_MIME } from './http';

describe('xlsx over HTTP', () => {
  it('names the download in ASCII and UTF-8 (RFC 5987)', () => {
    expect(contentDisposition('template.xlsx')).toBe(`attachment; filename="template.xlsx"; filename*=UTF-8''template.xlsx`);
    expect(contentDisposition('结算单 (3).xlsx')).toBe(`attachment; filename="___ (3).xlsx"; filename*=UTF-8''%E7%BB%93%E7%AE%97%E5%8D%95%20%283%29.xlsx`);
  });

  it('sets the xlsx content type and length on a Buffer download', () => {
    const headers = xlsxFile(Buffer.from('PK'), 'a.xlsx').getHeaders();
    expect(headers).toEqual({ type: XLSX_MIME, disposition: `attachment; filename="a.xlsx"; filename*=UTF-8''a.xlsx`, length: 2 });
  });

  it('refuses a request without a file with 400 VALIDATION_FAILED', () => {
    const pipe = new RequiredFilePipe();
    for (const f of [undefined, { buffer: Buffer.alloc(0) }]) {
      let err: unknown;
      try {
        pipe.transform(f);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED', details: [{ field: 'file', message: 'is required' }] });
    }
    expect(pipe.transform({ buffer: Buffer.from('PK') })).toEqual(Buffer.from('PK'));
  });
});

import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Put, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { stream } from 'exceljs';
import { AnyRole, CurrentUser, Roles, Principal, Role } from '@jicai/common';
import { batchView } from '@jicai/batches';
import { TechnicalScoreDto } from './dto/evaluation.dto';
import { UploadedXlsx, XlsxDownload, xlsxFile, XlsxImport } from '@jicai/spreadsheets';
import { EvaluationService } from './evaluation.service';

@ApiTags('evaluation')
@ApiBearerAuth()
@Controller()
export class EvaluationController {
  constructor(private readonly evaluation: EvaluationService) {}

  @Roles(Role.ADMIN)
  @Put('bids/:id/technical-score')
  setTechnicalScore(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Body() dto: TechnicalScoreDto) {
    return this.evaluation.setTechnicalScore(user, id, dto.criteria);
  }

  /** All or nothing: validated whole here, errors per row (400); an import job writes the scores: 202 {jobId, rows}. */
  @Roles(Role.ADMIN)
  @Post('batches/:id/technical-scores/import')
  @XlsxImport('Import technical scores from an xlsx: one row per criterion of an opened bid')
  importTechnicalScores(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @UploadedXlsx() file: Buffer) {
    return this.evaluation.importTechnicalScores(user, id, file);
  }

  @Roles(Role.ADMIN)
  @Get('batches/:id/technical-scores/template.xlsx')
  @XlsxDownload()
  async technicalScoreTemplate(@Param('id', ParseIntPipe) id: number) {
    return xlsxFile(await this.evaluation.technicalScoreTemplate(id), `batch-${id}-technical-scores.xlsx`);
  }

  @Roles(Role.ADMIN)
  @Post('batches/:id/evaluate')
  @HttpCode(202)
  async evaluate(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return { jobId: await this.evaluation.requestEvaluation(user, id) };
  }

  @AnyRole()
  @Get('batches/:id/results')
  results(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return this.evaluation.results(user, id);
  }

  /** Per item × group: bidder, product, pack price, UCP, scores, rank, gated, winner. */
  @Roles(Role.ADMIN, Role.FUND)
  @Get('batches/:id/results.xlsx')
  async resultsXlsx(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number, @Res() res: Response) {
    const results = await this.evaluation.results(user, id);
    res.setHeader('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.setHeader('Content-Disposition', `attachment; filename="batch-${id}-results.xlsx"`);
    const wb = new stream.xlsx.WorkbookWriter({ stream: res, useSharedStrings: false, useStyles: false });
    const ws = wb.addWorksheet('Results');
    ws.columns = [
      { header: 'itemId', key: 'itemId', width: 8 },
      { header: 'group', key: 'group', width: 6 },
      { header: 'bidId', key: 'bidId', width: 8 },
      { header: 'supplierId', key: 'supplierId', width: 10 },
      { header: 'productId', key: 'productId', width: 10 },
      { header: 'packPrice', key: 'packPrice', width: 10 },
      { header: 'unitComparablePrice', key: 'unitComparablePrice', width: 18 },
      { header: 'technicalScore', key: 'technicalScore', width: 14 },
      { header: 'priceScore', key: 'priceScore', width: 12 },
      { header: 'compositeScore', key: 'compositeScore', width: 14 },
      { header: 'rank', key: 'rank', width: 6 },
      { header: 'gated', key: 'gated', width: 6 },
      { header: 'gatePassedBy', key: 'gatePassedBy', width: 12 },
      { header: 'anchorUcp', key: 'anchorUcp', width: 10 },
      { header: 'gateFloor', key: 'gateFloor', width: 10 },
      { header: 'winner', key: 'winner', width: 7 },
      { header: 'abnormalLow', key: 'abnormalLow', width: 14 },
      { header: 'objections', key: 'objections', width: 24 },
      { header: 'ruledInvalid', key: 'ruledInvalid', width: 14 },
      { header: 'noBid', key: 'noBid', width: 6 },
    ];
    for (const g of results.items) {
      // Section 15.4: the item × group's objections as "id:STATUS", e.g. "3:UPHELD; 4:OPEN".
      const gate = { anchorUcp: g.anchorUcp ?? '', gateFloor: g.gateFloor ?? '', objections: g.objections.map((o) => `${o.id}:${o.status}`).join('; ') };
      if (g.bids.length === 0) ws.addRow({ itemId: g.itemId, group: g.group, noBid: 'YES' }).commit();
      // Decimals stay text: a spreadsheet float would not be exact to the fen.
      for (const b of g.bids)
        ws.addRow({
          itemId: g.itemId,
          group: g.group,
          ...b,
          ...gate,
          gated: b.gated ? 'YES' : 'NO',
          gatePassedBy: b.gatePassedBy ?? 'FAILED',
          winner: b.winner ? 'YES' : 'NO',
          abnormalLow: b.abnormalLow?.status ?? '',
          noBid: 'NO',
        }).commit();
      for (const r of g.ruledInvalid) ws.addRow({ itemId: g.itemId, group: g.group, bidId: r.bidId, ...gate, ruledInvalid: r.source, noBid: 'NO' }).commit();
    }
    ws.commit();
    await wb.commit();
  }

  @Roles(Role.ADMIN)
  @Post('batches/:id/award')
  @HttpCode(200)
  async award(@CurrentUser() user: Principal, @Param('id', ParseIntPipe) id: number) {
    return batchView(await this.evaluation.award(user, id));
  }
}

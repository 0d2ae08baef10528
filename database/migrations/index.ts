import { Foundation1764000000000 } from './1764000000000-Foundation';
import { CatalogBatchesDemand1764000000100 } from './1764000000100-CatalogBatchesDemand';
import { EvaluationAllocation1764000000300 } from './1764000000300-EvaluationAllocation';
import { Money1764000000400 } from './1764000000400-Money';
import { Bidding1764000000200 } from './1764000000200-Bidding';
import { ImportRuns1764000000500 } from './1764000000500-ImportRuns';
import { AuditSealing1764000000700 } from './1764000000700-AuditSealing';
import { GateVariants1764000001100 } from './1764000001100-GateVariants';
import { PurchaseOrdersNotifications1764000001200 } from './1764000001200-PurchaseOrdersNotifications';
import { Accounts1764000000600 } from './1764000000600-Accounts';
import { PublicityObjections1764000001110 } from './1764000001110-PublicityObjections';
import { UserActivation1764000001300 } from './1764000001300-UserActivation';
import { AgreementTerms1764000001120 } from './1764000001120-AgreementTerms';
import { ExecutionProgress1764000001201 } from './1764000001201-ExecutionProgress';
import { Revival1764000001130 } from './1764000001130-Revival';
import { AuditSequencer1764000001500 } from './1764000001500-AuditSequencer';
import { TransitionStandards1764000001700 } from './1764000001700-TransitionStandards';
import { DashboardIndexes1764000002000 } from './1764000002000-DashboardIndexes';
import { ProgressIndexes1764000001800 } from './1764000001800-ProgressIndexes';

/**
 * Every migration, in order. The schema changes only through these (never synchronize).
 * Add a new migration's class at the end.
 */
export const MIGRATIONS = [
  Foundation1764000000000,
  CatalogBatchesDemand1764000000100,
  EvaluationAllocation1764000000300,
  Money1764000000400,
  Bidding1764000000200,
  ImportRuns1764000000500,
  AuditSealing1764000000700,
  GateVariants1764000001100,
  PurchaseOrdersNotifications1764000001200,
  Accounts1764000000600,
  PublicityObjections1764000001110,
  UserActivation1764000001300,
  AgreementTerms1764000001120,
  ExecutionProgress1764000001201,
  Revival1764000001130,
  AuditSequencer1764000001500,
  TransitionStandards1764000001700,
  DashboardIndexes1764000002000,
  ProgressIndexes1764000001800,
];

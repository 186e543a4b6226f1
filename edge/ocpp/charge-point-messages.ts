/** Calls a charge point sends to the central system (OCPP 1.6), as zod schemas with the types we use. */
import { z } from 'zod';
import { CONNECTOR_STATUSES } from '../../shared/site/site-state';
import { MeterValueSchema } from './meter-values';
import { IdTagSchema, OcppDateTimeSchema } from './ocpp-values';

const text = (max: number) => z.string().max(max);
const connectorId = z.number().int().nonnegative();

export const BootNotificationSchema = z.object({
  chargePointVendor: text(20),
  chargePointModel: text(20),
  chargePointSerialNumber: text(25).optional(),
  chargeBoxSerialNumber: text(25).optional(),
  firmwareVersion: text(50).optional(),
  iccid: text(20).optional(),
  imsi: text(20).optional(),
  meterType: text(25).optional(),
  meterSerialNumber: text(25).optional(),
});

export const HeartbeatSchema = z.object({});

export const CHARGE_POINT_ERROR_CODES = [
  'ConnectorLockFailure',
  'EVCommunicationError',
  'GroundFailure',
  'HighTemperature',
  'InternalError',
  'LocalListConflict',
  'NoError',
  'OtherError',
  'OverCurrentFailure',
  'PowerMeterFailure',
  'PowerSwitchFailure',
  'ReaderFailure',
  'ResetFailure',
  'UnderVoltage',
  'OverVoltage',
  'WeakSignal',
] as const;
export type ChargePointErrorCode = (typeof CHARGE_POINT_ERROR_CODES)[number];

export const StatusNotificationSchema = z.object({
  connectorId,
  errorCode: z.enum(CHARGE_POINT_ERROR_CODES),
  info: text(50).optional(),
  status: z.enum(CONNECTOR_STATUSES),
  timestamp: OcppDateTimeSchema.optional(),
  vendorId: text(255).optional(),
  vendorErrorCode: text(50).optional(),
});

export const AuthorizeSchema = z.object({ idTag: IdTagSchema });

export const StartTransactionSchema = z.object({
  connectorId: connectorId.min(1),
  idTag: IdTagSchema,
  meterStart: z.number().int(),
  reservationId: z.number().int().optional(),
  timestamp: OcppDateTimeSchema,
});

export const STOP_REASONS = [
  'EmergencyStop',
  'EVDisconnected',
  'HardReset',
  'Local',
  'Other',
  'PowerLoss',
  'Reboot',
  'Remote',
  'SoftReset',
  'UnlockCommand',
  'DeAuthorized',
] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export const StopTransactionSchema = z.object({
  idTag: IdTagSchema.optional(),
  meterStop: z.number().int(),
  timestamp: OcppDateTimeSchema,
  transactionId: z.number().int(),
  reason: z.enum(STOP_REASONS).optional(),
  transactionData: z.array(MeterValueSchema).optional(),
});

export const MeterValuesSchema = z.object({
  connectorId,
  transactionId: z.number().int().optional(),
  meterValue: z.array(MeterValueSchema).min(1),
});

export const DataTransferSchema = z.object({
  vendorId: text(255),
  messageId: text(50).optional(),
  data: z.string().optional(),
});

export const DIAGNOSTICS_STATUSES = ['Idle', 'Uploaded', 'UploadFailed', 'Uploading'] as const;
export const DiagnosticsStatusNotificationSchema = z.object({ status: z.enum(DIAGNOSTICS_STATUSES) });

export const FIRMWARE_STATUSES = [
  'Downloaded',
  'DownloadFailed',
  'Downloading',
  'Idle',
  'InstallationFailed',
  'Installing',
  'Installed',
] as const;
export const FirmwareStatusNotificationSchema = z.object({ status: z.enum(FIRMWARE_STATUSES) });

export type BootNotification = z.output<typeof BootNotificationSchema>;
export type StatusNotification = z.output<typeof StatusNotificationSchema>;
export type StartTransaction = z.output<typeof StartTransactionSchema>;
export type StopTransaction = z.output<typeof StopTransactionSchema>;
export type MeterValues = z.output<typeof MeterValuesSchema>;
export type DataTransfer = z.output<typeof DataTransferSchema>;

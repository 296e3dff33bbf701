/**
 * Entry point of the SQLite writer thread. Owns the only write connection and
 * applies write requests strictly in the order they were posted, answering
 * each only after its transaction has committed.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { openConnection } from './connection.ts';
import { SqliteInventoryWriter } from './inventory.ts';
import { SqliteWriter } from './sqlite-writer.ts';
import { SqliteWebhookWriter } from './webhooks.ts';
import { SqliteEmailWriter } from './email.ts';

export type WriteRequest =
  | { id: number; op: 'insertUser'; args: Parameters<SqliteWriter['insertUser']> }
  | { id: number; op: 'insertSession'; args: Parameters<SqliteWriter['insertSession']> }
  | { id: number; op: 'deleteSession'; args: Parameters<SqliteWriter['deleteSession']> }
  | { id: number; op: 'deleteSessionsOfUser'; args: Parameters<SqliteWriter['deleteSessionsOfUser']> }
  | { id: number; op: 'deleteExpired'; args: Parameters<SqliteWriter['deleteExpired']> }
  | { id: number; op: 'insertUpload'; args: Parameters<SqliteWriter['insertUpload']> }
  | { id: number; op: 'attachUpload'; args: Parameters<SqliteWriter['attachUpload']> }
  | { id: number; op: 'deleteUploads'; args: Parameters<SqliteWriter['deleteUploads']> }
  | { id: number; op: 'insertAuctions'; args: Parameters<SqliteWriter['insertAuctions']> }
  | { id: number; op: 'commitBatch'; args: Parameters<SqliteWriter['commitBatch']> }
  | { id: number; op: 'insertQaItem'; args: Parameters<SqliteWriter['insertQaItem']> }
  | { id: number; op: 'settleQaItem'; args: Parameters<SqliteWriter['settleQaItem']> }
  | { id: number; op: 'claimQaModeration'; args: Parameters<SqliteWriter['claimQaModeration']> }
  | { id: number; op: 'recordQaModerationFailure'; args: Parameters<SqliteWriter['recordQaModerationFailure']> }
  | { id: number; op: 'insertChatMessage'; args: Parameters<SqliteWriter['insertChatMessage']> }
  | { id: number; op: 'deleteEndedChat'; args: Parameters<SqliteWriter['deleteEndedChat']> }
  | { id: number; op: 'watch'; args: Parameters<SqliteWriter['watch']> }
  | { id: number; op: 'unwatch'; args: Parameters<SqliteWriter['unwatch']> }
  | { id: number; op: 'deliverEndingSoon'; args: Parameters<SqliteWriter['deliverEndingSoon']> }
  | { id: number; op: 'upsertInventoryItems'; args: Parameters<SqliteInventoryWriter['upsertItems']> }
  | { id: number; op: 'deleteInventoryItem'; args: Parameters<SqliteInventoryWriter['deleteItem']> }
  | { id: number; op: 'linkInventoryAuction'; args: Parameters<SqliteInventoryWriter['linkAuction']> }
  | { id: number; op: 'claimInventoryLinks'; args: Parameters<SqliteInventoryWriter['claimLinks']> }
  | { id: number; op: 'settleInventoryLinks'; args: Parameters<SqliteInventoryWriter['settleLinks']> }
  | { id: number; op: 'insertWebhook'; args: Parameters<SqliteWebhookWriter['insertWebhook']> }
  | { id: number; op: 'deleteWebhook'; args: Parameters<SqliteWebhookWriter['deleteWebhook']> }
  | { id: number; op: 'retryWebhookDelivery'; args: Parameters<SqliteWebhookWriter['retryDelivery']> }
  | { id: number; op: 'claimWebhookDeliveries'; args: Parameters<SqliteWebhookWriter['claim']> }
  | { id: number; op: 'settleWebhookDeliveries'; args: Parameters<SqliteWebhookWriter['settle']> }
  | { id: number; op: 'insertEmailToken'; args: Parameters<SqliteEmailWriter['insertToken']> }
  | { id: number; op: 'verifyEmail'; args: Parameters<SqliteEmailWriter['verifyEmail']> }
  | { id: number; op: 'resetPassword'; args: Parameters<SqliteEmailWriter['resetPassword']> }
  | { id: number; op: 'setMailOff'; args: Parameters<SqliteEmailWriter['setMailOff']> }
  | { id: number; op: 'claimMails'; args: Parameters<SqliteEmailWriter['claim']> }
  | { id: number; op: 'settleMails'; args: Parameters<SqliteEmailWriter['settle']> }
  | { id: number; op: 'deleteSettledOutbox'; args: Parameters<SqliteEmailWriter['deleteSettled']> }
  | { id: number; op: 'close'; args: [] };

export type WriteResponse =
  | { id: number; ok: true; result: unknown }
  | {
      id: number;
      ok: false;
      error: { name: string; message: string; code?: string; auctionId?: string; keys?: unknown };
    };

const port = parentPort!;
const db = openConnection((workerData as { filename: string }).filename);
const webhooks = new SqliteWebhookWriter(db);
const email = new SqliteEmailWriter(db);
const writer = new SqliteWriter(db, webhooks, email);
const inventory = new SqliteInventoryWriter(db);

port.on('message', (request: WriteRequest) => {
  let response: WriteResponse;
  try {
    let result: unknown;
    switch (request.op) {
      case 'insertUser':
        result = writer.insertUser(...request.args);
        break;
      case 'insertSession':
        writer.insertSession(...request.args);
        break;
      case 'deleteSession':
        writer.deleteSession(...request.args);
        break;
      case 'deleteSessionsOfUser':
        writer.deleteSessionsOfUser(...request.args);
        break;
      case 'deleteExpired':
        result = writer.deleteExpired(...request.args);
        break;
      case 'insertUpload':
        writer.insertUpload(...request.args);
        break;
      case 'attachUpload':
        result = writer.attachUpload(...request.args);
        break;
      case 'deleteUploads':
        writer.deleteUploads(...request.args);
        break;
      case 'insertAuctions':
        writer.insertAuctions(...request.args);
        break;
      case 'commitBatch':
        result = writer.commitBatch(...request.args);
        break;
      case 'insertQaItem':
        result = writer.insertQaItem(...request.args);
        break;
      case 'settleQaItem':
        result = writer.settleQaItem(...request.args);
        break;
      case 'claimQaModeration':
        result = writer.claimQaModeration(...request.args);
        break;
      case 'recordQaModerationFailure':
        result = writer.recordQaModerationFailure(...request.args);
        break;
      case 'insertChatMessage':
        writer.insertChatMessage(...request.args);
        break;
      case 'deleteEndedChat':
        result = writer.deleteEndedChat(...request.args);
        break;
      case 'watch':
        result = writer.watch(...request.args);
        break;
      case 'unwatch':
        writer.unwatch(...request.args);
        break;
      case 'deliverEndingSoon':
        result = writer.deliverEndingSoon(...request.args);
        break;
      case 'upsertInventoryItems':
        result = inventory.upsertItems(...request.args);
        break;
      case 'deleteInventoryItem':
        result = inventory.deleteItem(...request.args);
        break;
      case 'linkInventoryAuction':
        result = inventory.linkAuction(...request.args);
        break;
      case 'claimInventoryLinks':
        result = inventory.claimLinks(...request.args);
        break;
      case 'settleInventoryLinks':
        inventory.settleLinks(...request.args);
        break;
      case 'insertWebhook':
        result = webhooks.insertWebhook(...request.args);
        break;
      case 'deleteWebhook':
        result = webhooks.deleteWebhook(...request.args);
        break;
      case 'retryWebhookDelivery':
        result = webhooks.retryDelivery(...request.args);
        break;
      case 'claimWebhookDeliveries':
        result = webhooks.claim(...request.args);
        break;
      case 'settleWebhookDeliveries':
        webhooks.settle(...request.args);
        break;
      case 'insertEmailToken':
        email.insertToken(...request.args);
        break;
      case 'verifyEmail':
        result = email.verifyEmail(...request.args);
        break;
      case 'resetPassword':
        result = email.resetPassword(...request.args);
        break;
      case 'setMailOff':
        result = email.setMailOff(...request.args);
        break;
      case 'claimMails':
        result = email.claim(...request.args);
        break;
      case 'settleMails':
        email.settle(...request.args);
        break;
      case 'deleteSettledOutbox':
        result = email.deleteSettled(...request.args);
        break;
      case 'close':
        db.close();
        port.postMessage({ id: request.id, ok: true, result: null } satisfies WriteResponse);
        port.close();
        return;
    }
    response = { id: request.id, ok: true, result: result ?? null };
  } catch (error) {
    const e = error as Error & { code?: string; auctionId?: string; keys?: unknown };
    response = {
      id: request.id,
      ok: false,
      error: { name: e.name, message: e.message, code: e.code, auctionId: e.auctionId, keys: e.keys },
    };
  }
  port.postMessage(response);
});

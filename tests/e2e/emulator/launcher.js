'use strict';
/*
 * Compatibility launcher around the npm package `telegram-test-api` (pinned 4.2.1).
 *
 * The package's TelegramServer is created and started here (its express app, its
 * body parsers, its result/logging middleware and its http server with graceful
 * shutdown are all used as they are), but its Bot API routes do not work with
 * python-telegram-bot 22, so this file mounts its own router AHEAD of the
 * package's routes. The router implements, over an in-memory store of its own:
 *
 *   - the bot side of the Bot API that the bot uses (getMe, getUpdates with offset
 *     acknowledgement and long polling, webhooks that never crash the process,
 *     sendMessage/sendDocument/sendPhoto (multipart), edits, callback answers,
 *     commands, getFile and file downloads, ...), with Telegram-shaped errors:
 *     {"ok":false,"error_code":N,"description":"..."} and the matching HTTP status;
 *   - the package's own client routes (/sendMessage, /sendCommand, /sendCallback,
 *     /getUpdates, /getUpdatesHistory) re-pointed at that store, so the package's
 *     TelegramClient still works;
 *   - control routes under /e2e/ for the Python harness: play users, read what
 *     the bot sent (with server timestamps in ms), fault injection, rate limits.
 *
 * Usage: node launcher.js [port]     (or EMULATOR_PORT / PORT in the environment)
 * Prints "EMULATOR READY <base url>" on stdout once listening; SIGTERM/SIGINT stop it.
 */

const path = require('path');
const TelegramServer = require('telegram-test-api');

// Use the very express the package was built with (it is the package's dependency).
const pkgDir = path.dirname(require.resolve('telegram-test-api/package.json'));
const express = require(require.resolve('express', { paths: [pkgDir] }));

const HOST = process.env.EMULATOR_HOST || '127.0.0.1';
const PORT = Number(process.argv[2] || process.env.EMULATOR_PORT || process.env.PORT || 9000);
const VERBOSE = process.env.EMULATOR_VERBOSE === '1';

function log(...args) {
  if (VERBOSE) console.error('[emulator]', ...args);
}

// ---------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------

class ApiError extends Error {
  constructor(code, description, parameters) {
    super(description);
    this.code = code;
    this.description = description;
    this.parameters = parameters;
  }
}

const DEFAULT_DESCRIPTIONS = {
  400: 'Bad Request: injected failure',
  401: 'Unauthorized',
  403: 'Forbidden: bot was blocked by the user',
  404: 'Not Found',
  409: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
  429: 'Too Many Requests: retry after %s',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

function describe(code, retryAfter) {
  const d = DEFAULT_DESCRIPTIONS[code] || `Error ${code}`;
  return d.replace('%s', String(retryAfter == null ? 1 : retryAfter));
}

function sendApiError(res, err) {
  const body = { ok: false, error_code: err.code, description: err.description };
  if (err.parameters) body.parameters = err.parameters;
  res.status(err.code).json(body);
}

// ---------------------------------------------------------------------------
// State
// ---------------------------------------------------------------------------

function freshState() {
  return {
    nextUpdateId: 1,
    nextCallbackId: 1,
    nextFileId: 1,
    bots: new Map(), // token -> bot state
    chats: new Map(), // chat id (string) -> Chat object
    chatMessageIds: new Map(), // chat id (string) -> last message id
    userMessages: [], // {token, chat_id, message_id, message, received_at}
    botMessages: [], // records of messages sent by bots
    callbacks: new Map(), // callback query id -> record
    files: new Map(), // file_id -> {file_unique_id, file_path, buffer, mime_type, file_name}
    filesByPath: new Map(), // file_path -> file_id
    faults: [], // fault rules
    nextFaultId: 1,
    rateLimit: null, // {per_second, per_chat_per_second, retry_after, methods}
    sendLog: [], // {t, chat_id} accepted sends (for the rate limiter)
    calls: [], // {t, token, method, chat_id, status, description}
  };
}

let state = freshState();

function getBot(token) {
  let bot = state.bots.get(token);
  if (!bot) {
    bot = {
      token,
      updates: [], // pending updates, oldest first; removed only by offset acknowledgement
      waiters: new Set(), // pending long polls
      webhook: null, // {url, secret_token, last_error_date, last_error_message}
      delivering: false,
      commands: new Map(),
      lastPolledAt: null,
    };
    state.bots.set(token, bot);
  }
  return bot;
}

function botIdFromToken(token) {
  const m = /^(\d+):/.exec(token);
  return m ? Number(m[1]) : 666;
}

function botUser(token) {
  // Same names as the package's getMe, plus the fields PTB 22 requires.
  return {
    id: botIdFromToken(token),
    is_bot: true,
    first_name: 'Test First name',
    username: process.env.EMULATOR_BOT_USERNAME || 'TestNameBot',
  };
}

const nowMs = () => Date.now();
const nowSec = () => Math.floor(Date.now() / 1000);

function nextMessageId(chatId) {
  const key = String(chatId);
  const id = (state.chatMessageIds.get(key) || 0) + 1;
  state.chatMessageIds.set(key, id);
  return id;
}

function chatFor(chatId) {
  const key = String(chatId);
  let chat = state.chats.get(key);
  if (!chat) {
    const id = Number(chatId);
    chat = id < 0 ? { id, type: 'group', title: `Group ${id}` } : { id, type: 'private', first_name: `User ${id}` };
    state.chats.set(key, chat);
  }
  return chat;
}

function rememberChat(chat) {
  const key = String(chat.id);
  state.chats.set(key, Object.assign({}, state.chats.get(key) || {}, chat));
  return state.chats.get(key);
}

// ---------------------------------------------------------------------------
// Updates: queue, long polling, webhooks
// ---------------------------------------------------------------------------

function enqueueUpdate(token, payload) {
  const bot = getBot(token);
  const update = Object.assign({ update_id: state.nextUpdateId++ }, payload);
  bot.updates.push(update);
  if (bot.webhook) {
    deliverWebhook(bot);
  } else {
    for (const waiter of Array.from(bot.waiters)) waiter.wake();
  }
  return update;
}

function pendingUpdates(bot, limit) {
  return bot.updates.slice(0, limit);
}

function acknowledge(bot, offset) {
  if (offset == null || Number.isNaN(offset)) return;
  if (offset < 0) {
    // Negative offset: only the last |offset| updates are kept.
    bot.updates = bot.updates.slice(offset);
  } else {
    bot.updates = bot.updates.filter((u) => u.update_id >= offset);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function deliverWebhook(bot) {
  if (bot.delivering) return;
  bot.delivering = true;
  let failures = 0;
  try {
    while (bot.webhook && bot.updates.length) {
      const hook = bot.webhook;
      const update = bot.updates[0];
      let error = null;
      try {
        const headers = { 'content-type': 'application/json' };
        if (hook.secret_token) headers['x-telegram-bot-api-secret-token'] = hook.secret_token;
        const resp = await fetch(hook.url, {
          method: 'POST',
          headers,
          body: JSON.stringify(update),
          signal: AbortSignal.timeout(10000),
        });
        if (resp.status < 200 || resp.status > 299) error = `Wrong response from the webhook: ${resp.status}`;
      } catch (e) {
        error = `Connection failed: ${e && e.message}`;
      }
      if (!error) {
        failures = 0;
        if (bot.updates[0] === update) bot.updates.shift();
      } else {
        failures += 1;
        hook.last_error_date = nowSec();
        hook.last_error_message = error;
        log('webhook delivery failed:', error);
        await sleep(Math.min(2000, 50 * 2 ** Math.min(failures, 6)));
      }
    }
  } finally {
    bot.delivering = false;
  }
}

// ---------------------------------------------------------------------------
// Parameters
// ---------------------------------------------------------------------------

const JSON_PARAMS = new Set([
  'reply_markup', 'entities', 'caption_entities', 'commands', 'scope', 'allowed_updates',
  'link_preview_options', 'reply_parameters', 'media', 'disable_notification', 'protect_content',
  'show_alert', 'drop_pending_updates', 'disable_web_page_preview', 'cache_time',
]);
const NUMBER_PARAMS = new Set(['chat_id', 'message_id', 'offset', 'limit', 'timeout', 'from_chat_id', 'user_id']);

function normaliseParams(raw) {
  const p = {};
  for (const [k, v] of Object.entries(raw || {})) {
    let val = v;
    if (typeof val === 'string' && JSON_PARAMS.has(k)) {
      try { val = JSON.parse(val); } catch (e) { throw new ApiError(400, `Bad Request: can't parse ${k} JSON object`); }
    } else if (typeof val === 'string' && NUMBER_PARAMS.has(k) && /^-?\d+$/.test(val)) {
      val = Number(val);
    }
    p[k] = val;
  }
  return p;
}

// Minimal multipart/form-data parser (buffered body): returns {fields, files}.
function parseMultipart(buf, contentType) {
  const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType || '');
  if (!m) throw new ApiError(400, 'Bad Request: multipart boundary missing');
  const boundary = m[1] || m[2];
  const first = Buffer.from(`--${boundary}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const fields = {};
  const files = {};
  let pos = buf.indexOf(first);
  if (pos === -1) return { fields, files };
  pos += first.length;
  for (;;) {
    if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) break; // closing "--"
    pos += 2; // CRLF after the boundary
    const headerEnd = buf.indexOf('\r\n\r\n', pos);
    if (headerEnd === -1) break;
    const headerText = buf.slice(pos, headerEnd).toString('utf8');
    const next = buf.indexOf(delimiter, headerEnd + 4);
    if (next === -1) break;
    const content = buf.slice(headerEnd + 4, next);
    const headers = {};
    for (const line of headerText.split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const cd = headers['content-disposition'] || '';
    const name = (/\bname="([^"]*)"/i.exec(cd) || [])[1];
    let filename = (/\bfilename="([^"]*)"/i.exec(cd) || [])[1];
    const star = /\bfilename\*=([^']*)''([^;]+)/i.exec(cd);
    if (star) filename = decodeURIComponent(star[2]);
    if (name != null) {
      if (filename != null || (headers['content-type'] && headers['content-type'] !== 'text/plain')) {
        files[name] = {
          filename: filename || name,
          mime_type: headers['content-type'] || 'application/octet-stream',
          buffer: Buffer.from(content),
        };
      } else {
        fields[name] = content.toString('utf8');
      }
    }
    pos = next + delimiter.length;
  }
  return { fields, files };
}

// ---------------------------------------------------------------------------
// Validation helpers
// ---------------------------------------------------------------------------

const HTML_TAGS = new Set([
  'b', 'strong', 'i', 'em', 'u', 'ins', 's', 'strike', 'del', 'span', 'tg-spoiler', 'a', 'tg-emoji',
  'code', 'pre', 'blockquote',
]);

// Validates Telegram-flavoured HTML and returns the plain text Telegram would store.
function parseHtml(text) {
  const stack = [];
  let out = '';
  const re = /<(\/?)([a-zA-Z][\w-]*)([^>]*)>|<|&(#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);/g;
  let last = 0;
  let m;
  while ((m = re.exec(text)) !== null) {
    out += text.slice(last, m.index);
    last = re.lastIndex;
    if (m[0] === '<') {
      throw new ApiError(400, `Bad Request: can't parse entities: Unexpected end tag at byte offset ${Buffer.byteLength(text.slice(0, m.index))}`);
    }
    if (m[4] !== undefined) {
      const ent = m[4];
      if (ent === 'lt') out += '<';
      else if (ent === 'gt') out += '>';
      else if (ent === 'amp') out += '&';
      else if (ent === 'quot') out += '"';
      else out += String.fromCodePoint(ent[1] === 'x' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10));
      continue;
    }
    const closing = m[1] === '/';
    const tag = m[2].toLowerCase();
    const offset = Buffer.byteLength(text.slice(0, m.index));
    if (!HTML_TAGS.has(tag)) {
      throw new ApiError(400, `Bad Request: can't parse entities: Unsupported start tag "${tag}" at byte offset ${offset}`);
    }
    if (closing) {
      const open = stack.pop();
      if (open !== tag) {
        throw new ApiError(400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${open || tag}"`);
      }
    } else {
      stack.push(tag);
    }
  }
  out += text.slice(last);
  if (stack.length) {
    throw new ApiError(400, `Bad Request: can't parse entities: Can't find end tag corresponding to start tag "${stack[stack.length - 1]}"`);
  }
  return out;
}

function renderText(text, parseMode) {
  if (parseMode && String(parseMode).toUpperCase() === 'HTML') return parseHtml(text);
  return text;
}

function validateMarkup(markup) {
  if (!markup) return;
  if (markup.inline_keyboard) {
    if (!Array.isArray(markup.inline_keyboard)) throw new ApiError(400, 'Bad Request: field "inline_keyboard" must be an Array');
    for (const row of markup.inline_keyboard) {
      if (!Array.isArray(row)) throw new ApiError(400, 'Bad Request: field "inline_keyboard" must be an Array of Arrays');
      for (const button of row) {
        if (!button || typeof button.text !== 'string' || !button.text) throw new ApiError(400, 'Bad Request: text buttons are unallowed in the inline keyboard');
        if (button.callback_data != null && Buffer.byteLength(String(button.callback_data)) > 64) {
          throw new ApiError(400, 'Bad Request: BUTTON_DATA_INVALID');
        }
      }
    }
  }
}

function inlineOnly(markup) {
  return markup && markup.inline_keyboard ? markup : undefined;
}

function requireChat(p) {
  if (p.chat_id === undefined || p.chat_id === '') throw new ApiError(400, 'Bad Request: chat_id is empty');
  if (typeof p.chat_id !== 'number') {
    const found = Array.from(state.chats.values()).find((c) => c.username && `@${c.username}` === p.chat_id);
    if (!found) throw new ApiError(400, 'Bad Request: chat not found');
    return found;
  }
  return chatFor(p.chat_id);
}

// ---------------------------------------------------------------------------
// Bot messages
// ---------------------------------------------------------------------------

function storeBotMessage(token, method, chat, fields, rawText, parseMode, markup) {
  const messageId = nextMessageId(chat.id);
  const message = Object.assign({
    message_id: messageId,
    from: botUser(token),
    chat,
    date: nowSec(),
  }, fields);
  const rm = inlineOnly(markup);
  if (rm) message.reply_markup = rm;
  const record = {
    token,
    method,
    chat_id: chat.id,
    message_id: messageId,
    text: message.text != null ? message.text : message.caption,
    raw_text: rawText,
    parse_mode: parseMode || null,
    reply_markup: markup || null,
    document: message.document || null,
    photo: message.photo || null,
    sent_at: nowMs(),
    edited: false,
    edit_count: 0,
    edited_at: null,
    deleted: false,
    history: [],
    message,
  };
  state.botMessages.push(record);
  state.sendLog.push({ t: record.sent_at, chat_id: chat.id });
  if (state.sendLog.length > 5000) pruneSendLog(record.sent_at);
  return record;
}

function findBotMessage(token, chatId, messageId) {
  return state.botMessages.find((r) => r.token === token && String(r.chat_id) === String(chatId)
    && r.message_id === Number(messageId) && !r.deleted);
}

function storeFile(upload, kind) {
  const n = state.nextFileId++;
  const fileId = `${kind}-${n}-${Math.random().toString(36).slice(2, 10)}`;
  const ext = path.extname(upload.filename || '') || (kind === 'photo' ? '.jpg' : '');
  const filePath = `${kind}s/file_${n}${ext}`;
  const entry = {
    file_id: fileId,
    file_unique_id: `u${n}`,
    file_path: filePath,
    file_name: upload.filename,
    mime_type: upload.mime_type,
    buffer: upload.buffer,
  };
  state.files.set(fileId, entry);
  state.filesByPath.set(filePath, fileId);
  return entry;
}

function resolveInputFile(p, files, name, kind) {
  const value = p[name];
  let upload = null;
  if (files[name]) upload = files[name];
  else if (typeof value === 'string' && value.startsWith('attach://')) upload = files[value.slice(9)];
  if (upload) return storeFile(upload, kind);
  if (typeof value === 'string' && value) {
    if (state.files.has(value)) return state.files.get(value);
    if (/^https?:\/\//.test(value)) {
      return storeFile({ filename: value.split('/').pop() || 'file', mime_type: 'application/octet-stream', buffer: Buffer.alloc(0) }, kind);
    }
    throw new ApiError(400, 'Bad Request: wrong file identifier/HTTP URL specified');
  }
  throw new ApiError(400, `Bad Request: there is no ${name} in the request`);
}

// ---------------------------------------------------------------------------
// Fault injection and rate limiting
// ---------------------------------------------------------------------------

function matchFault(method, chatId) {
  for (const rule of state.faults) {
    if (rule.method !== '*' && rule.method !== method) continue;
    if (rule.chat_id != null && String(rule.chat_id) !== String(chatId)) continue;
    if (rule.remaining != null && rule.remaining <= 0) continue;
    if (rule.remaining != null) rule.remaining -= 1;
    rule.hits += 1;
    return rule;
  }
  return null;
}

const DEFAULT_LIMITED = new Set([
  'sendMessage', 'sendDocument', 'sendPhoto', 'sendMediaGroup', 'copyMessage', 'forwardMessage',
  'sendAudio', 'sendVideo', 'sendVoice', 'sendAnimation', 'sendSticker', 'sendLocation', 'sendContact',
]);

function pruneSendLog(t) {
  const keepMs = Math.max(60000, (state.rateLimit && state.rateLimit.window_ms) || 0);
  state.sendLog = state.sendLog.filter((e) => e.t > t - keepMs);
}

function checkRateLimit(method, chatId) {
  const rl = state.rateLimit;
  if (!rl) return;
  const methods = rl.methods ? new Set(rl.methods) : DEFAULT_LIMITED;
  if (!methods.has(method)) return;
  const t = nowMs();
  const windowMs = rl.window_ms || 1000;
  pruneSendLog(t);
  const recent = state.sendLog.filter((e) => e.t > t - windowMs);
  const reject = (oldest) => {
    const retryAfter = rl.retry_after != null ? rl.retry_after : Math.max(1, Math.ceil((oldest + windowMs - t) / 1000));
    rl.rejected = (rl.rejected || 0) + 1;
    throw new ApiError(429, describe(429, retryAfter), { retry_after: retryAfter });
  };
  if (rl.per_second != null && recent.length >= rl.per_second) reject(recent[recent.length - rl.per_second].t);
  if (rl.per_chat_per_second != null && chatId != null) {
    const chatRecent = recent.filter((e) => String(e.chat_id) === String(chatId));
    if (chatRecent.length >= rl.per_chat_per_second) reject(chatRecent[chatRecent.length - rl.per_chat_per_second].t);
  }
  if (rl.per_group_per_minute != null && chatId != null && Number(chatId) < 0) {
    const groupRecent = state.sendLog.filter((e) => String(e.chat_id) === String(chatId));
    if (groupRecent.length >= rl.per_group_per_minute) {
      const oldest = groupRecent[groupRecent.length - rl.per_group_per_minute].t;
      const retryAfter = rl.retry_after != null ? rl.retry_after : Math.max(1, Math.ceil((oldest + 60000 - t) / 1000));
      throw new ApiError(429, describe(429, retryAfter), { retry_after: retryAfter });
    }
  }
}

// ---------------------------------------------------------------------------
// Bot API methods
// ---------------------------------------------------------------------------

function textMessage(token, method, p, chat) {
  if (p.text == null || String(p.text).trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
  const raw = String(p.text);
  const text = renderText(raw, p.parse_mode);
  if (text.length > 4096) throw new ApiError(400, 'Bad Request: message is too long');
  validateMarkup(p.reply_markup);
  return storeBotMessage(token, method, chat, { text }, raw, p.parse_mode, p.reply_markup);
}

function mediaMessage(token, method, p, files, chat, field) {
  validateMarkup(p.reply_markup);
  const kind = field === 'photo' ? 'photo' : 'document';
  const file = resolveInputFile(p, files, field, kind);
  const fields = {};
  if (field === 'photo') {
    fields.photo = [{ file_id: file.file_id, file_unique_id: file.file_unique_id, width: 320, height: 240, file_size: file.buffer.length }];
  } else {
    fields.document = {
      file_id: file.file_id,
      file_unique_id: file.file_unique_id,
      file_name: file.file_name,
      mime_type: file.mime_type,
      file_size: file.buffer.length,
    };
  }
  let raw = null;
  if (p.caption != null && p.caption !== '') {
    raw = String(p.caption);
    fields.caption = renderText(raw, p.parse_mode);
    if (fields.caption.length > 1024) throw new ApiError(400, 'Bad Request: message caption is too long');
  }
  const record = storeBotMessage(token, method, chat, fields, raw, p.parse_mode, p.reply_markup);
  record.file = { file_id: file.file_id, file_name: file.file_name, mime_type: file.mime_type, size: file.buffer.length };
  return record;
}

function editTarget(token, p) {
  if (p.inline_message_id) return { inline: true };
  if (p.chat_id == null || p.message_id == null) throw new ApiError(400, 'Bad Request: message identifier is not specified');
  const record = findBotMessage(token, p.chat_id, p.message_id);
  if (!record) {
    const userMsg = state.userMessages.find((u) => String(u.chat_id) === String(p.chat_id) && u.message_id === Number(p.message_id));
    if (userMsg) throw new ApiError(400, "Bad Request: message can't be edited");
    throw new ApiError(400, 'Bad Request: message to edit not found');
  }
  return { record };
}

function applyEdit(record, changes, markup) {
  const before = JSON.stringify({ t: record.message.text, c: record.message.caption, m: record.message.reply_markup || null });
  const next = Object.assign({}, record.message, changes);
  const rm = inlineOnly(markup);
  if (rm) next.reply_markup = rm; else delete next.reply_markup;
  const after = JSON.stringify({ t: next.text, c: next.caption, m: next.reply_markup || null });
  if (before === after) {
    throw new ApiError(400, 'Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
  }
  record.history.push({ text: record.text, raw_text: record.raw_text, reply_markup: record.reply_markup, at: record.edited_at || record.sent_at });
  next.edit_date = nowSec();
  record.message = next;
  record.text = next.text != null ? next.text : next.caption;
  record.reply_markup = markup || null;
  record.edited = true;
  record.edit_count += 1;
  record.edited_at = nowMs();
  return next;
}

const NOOP_TRUE = new Set([
  'sendChatAction', 'setChatMenuButton', 'setMyDescription', 'setMyShortDescription', 'setMyName',
  'setMyDefaultAdministratorRights', 'close', 'logOut', 'pinChatMessage', 'unpinChatMessage',
  'unpinAllChatMessages', 'leaveChat', 'setMessageReaction',
]);

const methods = {
  getMe(token) {
    return Object.assign(botUser(token), {
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    });
  },

  getUpdates(token, p, files, req, res) {
    const bot = getBot(token);
    if (bot.webhook) {
      throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    acknowledge(bot, p.offset);
    bot.lastPolledAt = nowMs();
    const limit = Math.max(1, Math.min(100, Number(p.limit) || 100));
    const timeout = Math.max(0, Math.min(50, Number(p.timeout) || 0));
    const ready = pendingUpdates(bot, limit);
    if (ready.length || timeout === 0) return ready;
    // Only one long poll per bot, like Telegram: an older one is terminated.
    for (const w of Array.from(bot.waiters)) w.conflict();
    return new Promise((resolve, reject) => {
      const waiter = {
        done: false,
        finish(fn) {
          if (waiter.done) return;
          waiter.done = true;
          clearTimeout(waiter.timer);
          bot.waiters.delete(waiter);
          fn();
        },
        wake() { waiter.finish(() => resolve(pendingUpdates(bot, limit))); },
        conflict() { waiter.finish(() => reject(new ApiError(409, describe(409)))); },
      };
      waiter.timer = setTimeout(() => waiter.wake(), timeout * 1000);
      bot.waiters.add(waiter);
      res.on('close', () => waiter.finish(() => resolve([])));
    });
  },

  deleteWebhook(token, p) {
    const bot = getBot(token);
    bot.webhook = null;
    if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') bot.updates = [];
    return true;
  },

  setWebhook(token, p) {
    const bot = getBot(token);
    if (!p.url) return methods.deleteWebhook(token, p);
    if (!/^https?:\/\//.test(p.url)) throw new ApiError(400, 'Bad Request: bad webhook: An HTTPS URL must be provided for webhook');
    if (p.drop_pending_updates === true || p.drop_pending_updates === 'true') bot.updates = [];
    bot.webhook = { url: p.url, secret_token: p.secret_token || null, last_error_date: null, last_error_message: null };
    for (const w of Array.from(bot.waiters)) w.conflict();
    deliverWebhook(bot);
    return true;
  },

  getWebhookInfo(token) {
    const bot = getBot(token);
    const info = { url: bot.webhook ? bot.webhook.url : '', has_custom_certificate: false, pending_update_count: bot.updates.length };
    if (bot.webhook && bot.webhook.last_error_date) {
      info.last_error_date = bot.webhook.last_error_date;
      info.last_error_message = bot.webhook.last_error_message;
    }
    return info;
  },

  sendMessage(token, p) {
    return textMessage(token, 'sendMessage', p, requireChat(p)).message;
  },

  sendDocument(token, p, files) {
    return mediaMessage(token, 'sendDocument', p, files, requireChat(p), 'document').message;
  },

  sendPhoto(token, p, files) {
    return mediaMessage(token, 'sendPhoto', p, files, requireChat(p), 'photo').message;
  },

  editMessageText(token, p) {
    if (p.text == null || String(p.text).trim() === '') throw new ApiError(400, 'Bad Request: message text is empty');
    validateMarkup(p.reply_markup);
    const text = renderText(String(p.text), p.parse_mode);
    if (text.length > 4096) throw new ApiError(400, 'Bad Request: MESSAGE_TOO_LONG');
    const target = editTarget(token, p);
    if (target.inline) return true;
    if (target.record.message.text == null) throw new ApiError(400, 'Bad Request: there is no text in the message to edit');
    const msg = applyEdit(target.record, { text }, p.reply_markup);
    target.record.raw_text = String(p.text);
    target.record.parse_mode = p.parse_mode || null;
    target.record.method = target.record.method;
    return msg;
  },

  editMessageCaption(token, p) {
    validateMarkup(p.reply_markup);
    const target = editTarget(token, p);
    if (target.inline) return true;
    const caption = p.caption != null ? renderText(String(p.caption), p.parse_mode) : undefined;
    return applyEdit(target.record, { caption }, p.reply_markup);
  },

  editMessageReplyMarkup(token, p) {
    validateMarkup(p.reply_markup);
    const target = editTarget(token, p);
    if (target.inline) return true;
    return applyEdit(target.record, {}, p.reply_markup);
  },

  deleteMessage(token, p) {
    const record = p.chat_id != null && p.message_id != null ? findBotMessage(token, p.chat_id, p.message_id) : null;
    if (record) {
      record.deleted = true;
      record.deleted_at = nowMs();
      return true;
    }
    const userMsg = state.userMessages.find((u) => u.token === token && String(u.chat_id) === String(p.chat_id)
      && u.message_id === Number(p.message_id) && !u.deleted);
    if (userMsg) {
      userMsg.deleted = true;
      return true;
    }
    throw new ApiError(400, 'Bad Request: message to delete not found');
  },

  answerCallbackQuery(token, p) {
    const cb = state.callbacks.get(String(p.callback_query_id));
    if (!cb || cb.token !== token || cb.answered) {
      throw new ApiError(400, 'Bad Request: query is too old and response timeout expired or query ID is invalid');
    }
    cb.answered = true;
    cb.answered_at = nowMs();
    cb.answer = {
      text: p.text != null ? String(p.text) : null,
      show_alert: p.show_alert === true || p.show_alert === 'true',
      url: p.url || null,
      cache_time: p.cache_time != null ? Number(p.cache_time) : null,
    };
    return true;
  },

  setMyCommands(token, p) {
    const commands = p.commands;
    if (!Array.isArray(commands)) throw new ApiError(400, 'Bad Request: field "commands" must be an Array');
    if (commands.length > 100) throw new ApiError(400, 'Bad Request: too many commands');
    for (const c of commands) {
      if (!c || typeof c.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) throw new ApiError(400, 'Bad Request: BOT_COMMAND_INVALID');
      if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256) {
        throw new ApiError(400, 'Bad Request: BOT_COMMAND_DESCRIPTION_INVALID');
      }
    }
    getBot(token).commands.set(commandsKey(p), commands.map((c) => ({ command: c.command, description: c.description })));
    return true;
  },

  getMyCommands(token, p) {
    return getBot(token).commands.get(commandsKey(p)) || [];
  },

  deleteMyCommands(token, p) {
    getBot(token).commands.delete(commandsKey(p));
    return true;
  },

  getFile(token, p) {
    const file = state.files.get(String(p.file_id || ''));
    if (!file) throw new ApiError(400, 'Bad Request: invalid file_id');
    return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.buffer.length, file_path: file.file_path };
  },

  getChat(token, p) {
    const chat = requireChat(p);
    return Object.assign({ accent_color_id: 0, max_reaction_count: 11 }, chat);
  },
};

function commandsKey(p) {
  return JSON.stringify([p.scope || { type: 'default' }, p.language_code || '']);
}

// ---------------------------------------------------------------------------
// Router: bot side
// ---------------------------------------------------------------------------

const compat = express.Router();

// Multipart bodies (sendDocument, sendPhoto, ...) are not parsed by the package.
compat.use(express.raw({ type: 'multipart/form-data', limit: '60mb' }));

function recordCall(token, method, chatId, status, description) {
  state.calls.push({ t: nowMs(), token, method, chat_id: chatId == null ? null : chatId, status, description: description || null });
  if (state.calls.length > 20000) state.calls.splice(0, state.calls.length - 20000);
}

async function handleBotCall(req, res) {
  const token = req.params.token;
  const method = req.params.method;
  let chatId = null;
  try {
    if (req.method !== 'GET' && req.method !== 'POST') throw new ApiError(405, 'Method Not Allowed');
    if (!/^\d+:[\w-]+$/.test(token)) throw new ApiError(401, 'Unauthorized');
    let raw = Object.assign({}, req.query);
    let files = {};
    if (Buffer.isBuffer(req.body)) {
      const parsed = parseMultipart(req.body, req.headers['content-type']);
      Object.assign(raw, parsed.fields);
      files = parsed.files;
    } else if (req.body && typeof req.body === 'object') {
      Object.assign(raw, req.body);
    }
    const p = normaliseParams(raw);
    chatId = p.chat_id != null ? p.chat_id : null;

    const fault = matchFault(method, chatId);
    if (fault) {
      if (fault.delay_ms) await sleep(fault.delay_ms);
      if (fault.status && fault.status !== 200) {
        const params = fault.retry_after != null ? { retry_after: fault.retry_after } : undefined;
        throw new ApiError(fault.status, fault.description || describe(fault.status, fault.retry_after), params);
      }
    }
    checkRateLimit(method, chatId);

    const impl = methods[method] || (NOOP_TRUE.has(method) ? () => true : null);
    if (!impl) throw new ApiError(404, 'Not Found: method not found');
    const result = await impl(token, p, files, req, res);
    recordCall(token, method, chatId, 200);
    if (!res.writableEnded && !res.destroyed) res.status(200).json({ ok: true, result });
  } catch (err) {
    const apiErr = err instanceof ApiError ? err : new ApiError(500, `Internal Server Error: ${err && err.message}`);
    if (!(err instanceof ApiError)) console.error('[emulator] unexpected error', err);
    recordCall(token, method, chatId, apiErr.code, apiErr.description);
    if (!res.writableEnded && !res.destroyed) sendApiError(res, apiErr);
  }
}

compat.all('/bot:token/:method', handleBotCall);

compat.get('/file/bot:token/*', (req, res) => {
  const fileId = state.filesByPath.get(req.params[0]);
  const file = fileId && state.files.get(fileId);
  if (!file) {
    res.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
    return;
  }
  res.status(200).type(file.mime_type || 'application/octet-stream').send(file.buffer);
});

// ---------------------------------------------------------------------------
// Router: user side / control (/e2e/...)
// ---------------------------------------------------------------------------

function control(handler) {
  return async (req, res) => {
    try {
      const result = await handler(req, res);
      res.status(200).json({ ok: true, result: result === undefined ? null : result });
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : new ApiError(500, String(err && err.message));
      sendApiError(res, apiErr);
    }
  };
}

function need(value, name) {
  if (value === undefined || value === null || value === '') throw new ApiError(400, `Bad Request: ${name} is required`);
  return value;
}

function userFrom(from) {
  need(from, 'from');
  const user = { id: Number(need(from.id, 'from.id')), is_bot: false, first_name: String(from.first_name || 'User') };
  if (from.last_name) user.last_name = String(from.last_name);
  if (from.username) user.username = String(from.username);
  if (from.language_code) user.language_code = String(from.language_code);
  return user;
}

function chatOf(user, chat) {
  if (!chat || chat.id == null || Number(chat.id) === user.id) {
    const c = { id: user.id, type: 'private', first_name: user.first_name };
    if (user.last_name) c.last_name = user.last_name;
    if (user.username) c.username = user.username;
    return rememberChat(c);
  }
  const id = Number(chat.id);
  const type = chat.type || (id < 0 ? 'group' : 'private');
  const c = { id, type };
  if (type === 'private') c.first_name = chat.first_name || user.first_name;
  else c.title = chat.title || (state.chats.get(String(id)) || {}).title || `Group ${id}`;
  return rememberChat(c);
}

function commandEntities(text) {
  const m = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text || '');
  return m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : undefined;
}

function addUserMessage(token, from, chat, extra) {
  const user = userFrom(from);
  const c = chatOf(user, chat);
  const message = Object.assign({ message_id: nextMessageId(c.id), from: user, chat: c, date: nowSec() }, extra);
  state.userMessages.push({ token, chat_id: c.id, message_id: message.message_id, message, received_at: nowMs() });
  const update = enqueueUpdate(token, { message });
  return { update_id: update.update_id, message };
}

function addUserText(token, from, chat, text, entities) {
  need(text, 'text');
  const extra = { text: String(text) };
  const ents = entities || commandEntities(extra.text);
  if (ents) extra.entities = ents;
  return addUserMessage(token, from, chat, extra);
}

function addUserCallback(token, from, chatId, messageId, data) {
  const user = userFrom(from);
  const chat = chatId == null ? user.id : Number(chatId);
  const record = findBotMessage(token, chat, messageId);
  if (!record) throw new ApiError(400, `Bad Request: bot message ${messageId} not found in chat ${chat}`);
  const id = String(state.nextCallbackId++);
  const callbackQuery = {
    id,
    from: user,
    message: record.message,
    chat_instance: String(-Math.abs(Number(record.chat_id)) * 7919 - 1),
    data: String(data),
  };
  state.callbacks.set(id, { token, id, chat_id: record.chat_id, message_id: record.message_id, data: String(data), answered: false, answer: null, sent_at: nowMs() });
  const update = enqueueUpdate(token, { callback_query: callbackQuery });
  return { update_id: update.update_id, callback_query_id: id };
}

function publicRecord(r) {
  return {
    chat_id: r.chat_id,
    message_id: r.message_id,
    method: r.method,
    text: r.text != null ? r.text : null,
    raw_text: r.raw_text,
    parse_mode: r.parse_mode,
    reply_markup: r.reply_markup,
    document: r.document,
    photo: r.photo,
    file: r.file || null,
    sent_at: r.sent_at,
    edited: r.edited,
    edit_count: r.edit_count,
    edited_at: r.edited_at,
    deleted: r.deleted,
    history: r.history,
    message: r.message,
  };
}

compat.post('/e2e/reset', control(() => {
  for (const bot of state.bots.values()) {
    bot.webhook = null; // also ends any webhook delivery loop of the old state
    bot.updates = [];
    for (const w of Array.from(bot.waiters)) w.wake();
  }
  // Ids stay monotonic across resets: a bot that keeps polling keeps its offset.
  const { nextUpdateId, nextCallbackId, nextFileId, nextFaultId } = state;
  state = Object.assign(freshState(), { nextUpdateId, nextCallbackId, nextFileId, nextFaultId });
  return true;
}));

compat.get('/e2e/health', control(() => ({ ready: true, package: 'telegram-test-api', started: server.started })));

compat.post('/e2e/messages', control((req) => {
  const b = req.body;
  return addUserText(need(b.token, 'token'), b.from, b.chat, b.text, b.entities);
}));

compat.post('/e2e/documents', control((req) => {
  const b = req.body;
  const token = need(b.token, 'token');
  const file = storeFile({
    filename: b.file_name || 'file.bin',
    mime_type: b.mime_type || 'application/octet-stream',
    buffer: Buffer.from(b.content_base64 || '', 'base64'),
  }, 'document');
  const extra = {
    document: { file_id: file.file_id, file_unique_id: file.file_unique_id, file_name: file.file_name, mime_type: file.mime_type, file_size: file.buffer.length },
  };
  if (b.caption) extra.caption = String(b.caption);
  return addUserMessage(token, b.from, b.chat, extra);
}));

compat.post('/e2e/callbacks', control((req) => {
  const b = req.body;
  return addUserCallback(need(b.token, 'token'), b.from, b.chat_id, need(b.message_id, 'message_id'), need(b.data, 'data'));
}));

compat.get('/e2e/callbacks/:id', control((req) => {
  const cb = state.callbacks.get(String(req.params.id));
  if (!cb) throw new ApiError(404, 'Not Found: no such callback query');
  return cb;
}));

compat.post('/e2e/updates', control((req) => {
  const b = req.body;
  need(b.update, 'update');
  const update = Object.assign({}, b.update);
  delete update.update_id;
  return enqueueUpdate(need(b.token, 'token'), update);
}));

compat.get('/e2e/updates/pending', control((req) => {
  const bot = getBot(need(req.query.token, 'token'));
  return { count: bot.updates.length, updates: bot.updates, polling: bot.waiters.size, last_polled_at: bot.lastPolledAt };
}));

// All messages the bot sent (optionally one chat's), with server timestamps in ms.
compat.get('/e2e/sent', control((req) => {
  const { token, chat_id: chatId, include_deleted: includeDeleted } = req.query;
  return state.botMessages
    .filter((r) => (!token || r.token === token)
      && (chatId == null || String(r.chat_id) === String(chatId))
      && (includeDeleted === '1' || includeDeleted === 'true' || !r.deleted))
    .map(publicRecord);
}));

compat.get('/e2e/calls', control((req) => {
  const { token, method } = req.query;
  return state.calls.filter((c) => (!token || c.token === token) && (!method || c.method === method));
}));

compat.get('/e2e/commands', control((req) => {
  const bot = getBot(need(req.query.token, 'token'));
  const out = {};
  for (const [k, v] of bot.commands.entries()) out[k] = v;
  return out;
}));

compat.get('/e2e/files/:file_id', (req, res) => {
  const file = state.files.get(req.params.file_id);
  if (!file) {
    res.status(404).json({ ok: false, error_code: 404, description: 'Not Found' });
    return;
  }
  res.status(200).type(file.mime_type || 'application/octet-stream').send(file.buffer);
});

// Fault injection: {method:"sendMessage"|"*", status:429, count:N|null, retry_after, chat_id, description, delay_ms}
compat.post('/e2e/faults', control((req) => {
  const b = req.body || {};
  const status = b.status == null ? null : Number(b.status);
  if (status == null && !b.delay_ms) throw new ApiError(400, 'Bad Request: status or delay_ms is required');
  const rule = {
    id: state.nextFaultId++,
    method: b.method || '*',
    chat_id: b.chat_id == null ? null : b.chat_id,
    status,
    description: b.description || null,
    retry_after: b.retry_after == null ? null : Number(b.retry_after),
    delay_ms: b.delay_ms == null ? 0 : Number(b.delay_ms),
    remaining: b.count == null ? null : Number(b.count),
    hits: 0,
  };
  state.faults.push(rule);
  // A long poll already waiting would only meet the fault after its timeout (PTB's is 10 s): end it now with
  // no updates, as its timeout would have, so the bot's next getUpdates is the one the fault answers.
  if (rule.method === 'getUpdates') {
    for (const bot of state.bots.values()) for (const w of Array.from(bot.waiters)) w.wake();
  }
  return rule;
}));

compat.get('/e2e/faults', control(() => state.faults));

compat.delete('/e2e/faults', control(() => {
  state.faults = [];
  return true;
}));

compat.delete('/e2e/faults/:id', control((req) => {
  state.faults = state.faults.filter((f) => String(f.id) !== String(req.params.id));
  return true;
}));

// Send-rate limit: {per_second, per_chat_per_second, per_group_per_minute, retry_after, window_ms, methods}
compat.post('/e2e/rate-limit', control((req) => {
  const b = req.body || {};
  state.rateLimit = {
    per_second: b.per_second == null ? null : Number(b.per_second),
    per_chat_per_second: b.per_chat_per_second == null ? null : Number(b.per_chat_per_second),
    per_group_per_minute: b.per_group_per_minute == null ? null : Number(b.per_group_per_minute),
    retry_after: b.retry_after == null ? null : Number(b.retry_after),
    window_ms: b.window_ms == null ? 1000 : Number(b.window_ms),
    methods: Array.isArray(b.methods) ? b.methods : null,
    rejected: 0,
  };
  return state.rateLimit;
}));

compat.get('/e2e/rate-limit', control(() => state.rateLimit));

compat.delete('/e2e/rate-limit', control(() => {
  state.rateLimit = null;
  return true;
}));

// ---------------------------------------------------------------------------
// The package's own client routes, re-pointed at this store so that the
// package's TelegramClient keeps working (its versions write to a storage
// that nothing here reads, and its webhook path crashes the process).
// ---------------------------------------------------------------------------

function packageClientMessage(body) {
  const from = body.from || { id: 1, first_name: 'TestName' };
  return { token: need(body.botToken, 'botToken'), from, chat: body.chat };
}

compat.post('/sendMessage', control((req) => {
  const m = packageClientMessage(req.body);
  addUserText(m.token, m.from, m.chat, req.body.text, req.body.entities);
  return null;
}));

compat.post('/sendCommand', control((req) => {
  const m = packageClientMessage(req.body);
  addUserText(m.token, m.from, m.chat, req.body.text, req.body.entities);
  return null;
}));

compat.post('/sendCallback', control((req) => {
  const m = packageClientMessage(req.body);
  const msg = req.body.message || {};
  const chatId = (msg.chat && msg.chat.id) || m.from.id;
  let messageId = msg.message_id;
  if (messageId == null) {
    // The package's TelegramClient.makeCallbackQuery() names no message: use the latest bot message there.
    const latest = state.botMessages.filter((r) => r.token === m.token && String(r.chat_id) === String(chatId) && !r.deleted).pop();
    if (!latest) throw new ApiError(400, `Bad Request: no bot message in chat ${chatId} to press a button on`);
    messageId = latest.message_id;
  }
  addUserCallback(m.token, m.from, chatId, messageId, req.body.data);
  return null;
}));

function packageUpdate(r) {
  return { time: r.sent_at, botToken: r.token, message: Object.assign({ chat_id: r.chat_id }, r.message), updateId: 0, messageId: r.message_id, isRead: true };
}

compat.post('/getUpdates', control((req) => {
  const { token, chatId } = req.body;
  const unread = state.botMessages.filter((r) => r.token === token && String(r.chat_id) === String(chatId) && !r.readByClient);
  unread.forEach((r) => { r.readByClient = true; });
  return unread.map(packageUpdate);
}));

compat.post('/getUpdatesHistory', control((req) => {
  const { token } = req.body;
  const bot = state.botMessages.filter((r) => r.token === token).map(packageUpdate);
  const user = state.userMessages.filter((u) => u.token === token)
    .map((u) => ({ time: u.received_at, botToken: token, message: u.message, messageId: u.message_id, isRead: true }));
  return [...bot, ...user].sort((a, b) => a.time - b.time);
}));

// Telegram-shaped errors for anything that went wrong before/inside our router.
function compatErrorHandler(err, req, res, _next) {
  const status = err.status || err.statusCode || 500;
  const code = status >= 400 && status < 600 ? status : 500;
  const prefix = code === 413 ? 'Request Entity Too Large' : code < 500 ? 'Bad Request' : 'Internal Server Error';
  sendApiError(res, new ApiError(code, `${prefix}: ${err.message || err}`));
}

// ---------------------------------------------------------------------------
// Server assembly: the package's server hosts everything.
// ---------------------------------------------------------------------------

const server = new TelegramServer({ port: PORT, host: HOST, storeTimeout: 3600 });
const app = server.webServer;

function insertAhead(appInstance) {
  // Register our router and error handler, then move them in the express stack:
  // the router right after the package's body parsers and request logger (so it
  // runs before any of the package's routes), the error handler before the
  // package's catch-all and its 500 handler.
  appInstance.use(compat);
  const routerLayer = appInstance._router.stack.pop();
  appInstance.use(compatErrorHandler);
  const errorLayer = appInstance._router.stack.pop();
  const stack = appInstance._router.stack;
  const loggerIndex = stack.findIndex((l) => l.name === 'requestLogger');
  if (loggerIndex === -1) throw new Error('telegram-test-api layout changed: requestLogger middleware not found');
  stack.splice(loggerIndex + 1, 0, routerLayer);
  const firstPackageRoute = stack.findIndex((l, i) => i > loggerIndex + 1 && l.route);
  stack.splice(firstPackageRoute === -1 ? stack.length : firstPackageRoute, 0, errorLayer);
}

insertAhead(app);

process.on('unhandledRejection', (reason) => {
  console.error('[emulator] unhandled rejection (ignored):', reason && reason.message ? reason.message : reason);
});
process.on('uncaughtException', (err) => {
  console.error('[emulator] uncaught exception (ignored):', err && err.stack ? err.stack : err);
});

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  log(`received ${signal}, stopping`);
  for (const bot of state.bots.values()) {
    bot.webhook = null;
    for (const w of Array.from(bot.waiters)) w.wake();
  }
  const hard = setTimeout(() => process.exit(0), 3000);
  hard.unref();
  try {
    await server.stop();
  } catch (e) {
    console.error('[emulator] error while stopping:', e);
  }
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
// When started with EMULATOR_EXIT_ON_STDIN_CLOSE=1 (the Python harness does), the
// emulator also stops when its parent goes away and the stdin pipe closes.
if (process.env.EMULATOR_EXIT_ON_STDIN_CLOSE === '1') {
  process.stdin.on('end', () => shutdown('stdin closed'));
  process.stdin.on('error', () => shutdown('stdin error'));
  process.stdin.resume();
}

server.start().then(() => {
  const url = `http://${HOST}:${PORT}`;
  process.stdout.write(`EMULATOR READY ${url}\n`);
}).catch((err) => {
  console.error(`[emulator] failed to start on ${HOST}:${PORT}: ${err && err.code ? err.code : err}`);
  process.exit(2);
});

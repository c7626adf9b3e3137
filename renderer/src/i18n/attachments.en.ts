import type { AttachmentsMessageKey } from './attachments.zh-CN';

/** Attachment strings in English. */
const attachmentsEn: Record<AttachmentsMessageKey, string> = {
  'attachments.add': 'Add a screenshot, photo or recording',
  'attachments.addToTicket': 'Add attachment',
  'attachments.hint': 'Paste a screenshot (Ctrl+V); location and other metadata are removed from images; 15 MB per file',
  'attachments.uploading': 'Uploading {name}…',
  'attachments.added': 'Added {name}',
  'attachments.duplicate': '{name} was already added; it is stored once',
  'attachments.remove': 'Remove',
  'attachments.download': 'Download',
  'attachments.title': 'Attachments',
  'attachments.count': '{count} file(s) (see attachments)',
  'attachments.none': 'No attachments',
  'attachments.unavailable': 'Not yet downloaded to this seat',
};

export default attachmentsEn;

import { memoryBacking } from './memory-records';
import { openMemoryTicketStore } from './open';
import { runTicketStoreTests } from './store-suite';

runTicketStoreTests(async () => {
  const backing = memoryBacking();
  return {
    open: (opts) => openMemoryTicketStore(backing, { seat: 'AB', ...opts }),
    failNextWrite: () => {
      backing.failNextWrite = true;
    },
    cleanup: async () => {},
  };
});

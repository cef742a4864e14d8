import type { ReservationResolvers } from '../generated/resolvers.js';
import { reservedLines } from '../inventory.js';

export const Reservation: ReservationResolvers = {
  // The saga asks for the lines only when it reserves, and reserving returns them: confirm and
  // release cost no read of lines unless a caller asks.
  lines: (reservation, _args, { em }) => reservation.lines ?? reservedLines(em, reservation.orderId),
};

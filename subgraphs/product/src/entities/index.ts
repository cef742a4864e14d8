import { ProductSchema } from './Product.js';
import { ReservationSchema } from './Reservation.js';
import { ReservationLineSchema } from './ReservationLine.js';

export const entities = [ProductSchema, ReservationSchema, ReservationLineSchema];

/** pg, loaded when a PostgreSQL store is first opened (driver-loader.ts). */
import type * as Pg from "pg";
import { driverLoader } from "../driver-loader.js";

export const pgDriver: () => typeof Pg = driverLoader<typeof Pg>("pg");

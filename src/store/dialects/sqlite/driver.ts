/** better-sqlite3, loaded when a SQLite store is first opened (driver-loader.ts). */
import type Database from "better-sqlite3";
import { driverLoader } from "../driver-loader.js";

export const sqliteDriver: () => typeof Database = driverLoader<typeof Database>("better-sqlite3");

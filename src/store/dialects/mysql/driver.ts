/** mysql2, loaded when a MySQL or MariaDB store is first opened (driver-loader.ts). */
import type * as Mysql2 from "mysql2";
import { driverLoader } from "../driver-loader.js";

export const mysqlDriver: () => typeof Mysql2 = driverLoader<typeof Mysql2>("mysql2");

// Prints the Mosquitto ACL file for the plant model, the same rules the embedded broker enforces:
//   npm run --silent mqtt-acl > /etc/mosquitto/acl      (PLANT_MODEL says which model; default config/plant.json)
// Give each account in it a password in Mosquitto's password file (mosquitto_passwd) and set
// `allow_anonymous false`, `password_file` and `acl_file` in mosquitto.conf.
import fs from 'node:fs';
import { readConfig } from '../src/lib/server/config';
import { brokerAccounts, mosquittoAcl } from '../src/lib/server/domain/plant/broker-acl';
import { parsePlantModel } from '../src/lib/server/domain/plant/load';

const { plantModelPath } = readConfig();
const plant = parsePlantModel(fs.readFileSync(plantModelPath, 'utf8'), plantModelPath);
process.stdout.write(`# Mosquitto ACL for ${plant.enterprise}/${plant.site}/${plant.area}, from ${plantModelPath}\n\n${mosquittoAcl(brokerAccounts(plant))}`);

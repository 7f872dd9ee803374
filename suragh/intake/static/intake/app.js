/* The field app: a report form, an on-phone queue in IndexedDB, and the sync that sends the queue to
   /api/v1/field-reports when there is a signal.

   A report is saved on the phone first, named by a client_id made when it is first saved; every send carries
   that client_id, so a retry after a lost reply is stored once by the server. The report and its photos go in
   one multipart request: it arrives whole or not at all. */
"use strict";

(() => {
  const config = JSON.parse(document.getElementById("field-config").textContent);
  const DB_NAME = "suragh-field";
  const STORE = "reports";
  const SYNC_EVERY_MS = 60 * 1000;
  const PHOTO_LONGEST_SIDE = 1600;
  const PHOTO_QUALITY = 0.8;
  const KINDS = [
    { value: "seizure", label: "Seizure" },
    { value: "arrest", label: "Arrest" },
    { value: "interdiction", label: "Interdiction" },
  ];
  const STATE_LABELS = {
    queued: "Queued",
    sending: "Sending",
    needs_correction: "Needs correction",
    sent: "Sent",
    accepted: "Accepted",
    returned: "Returned",
    other_officer: "Another officer's",
  };
  const FIELD_LABELS = {
    kind: "What happened",
    occurred_at: "When",
    district_pcode: "District",
    latitude: "GPS location",
    longitude: "GPS location",
    accuracy_m: "GPS accuracy",
    place: "Place",
    substance_code: "Substance",
    quantity: "Quantity",
    unit: "Unit",
    conveyance: "Conveyance",
    concealment: "Concealment",
    narrative: "Narrative",
    persons: "Persons arrested",
    photos: "Photos",
    name_latin: "name (English letters)",
    name_urdu: "name (Urdu)",
    father_or_husband_name: "father's or husband's name",
    cnic: "CNIC",
    age_years: "age",
    sex: "sex",
  };

  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  const form = $("#report-form");

  let options = null;
  let photos = []; // [{blob, sha256, size, type, url}]
  let editing = null; // client_id of the queued report being changed
  let copyOf = null; // client_id of the returned report a new one corrects
  let signedOut = false;
  let syncing = null;
  const inFlight = new Set();

  // --- IndexedDB ------------------------------------------------------------------------------------------

  let dbPromise = null;
  function db() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, 1);
        request.onupgradeneeded = () => {
          const store = request.result.createObjectStore(STORE, { keyPath: "client_id" });
          store.createIndex("state", "state");
        };
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    }
    return dbPromise;
  }

  async function tx(mode, work) {
    const database = await db();
    return new Promise((resolve, reject) => {
      const transaction = database.transaction(STORE, mode);
      const store = transaction.objectStore(STORE);
      let result;
      Promise.resolve(work(store)).then((value) => {
        result = value;
      }, reject);
      transaction.oncomplete = () => resolve(result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error || new Error("The phone's storage refused the change."));
    });
  }

  const asPromise = (request) =>
    new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });

  const getRecord = (clientId) => tx("readonly", (store) => asPromise(store.get(clientId)));
  const putRecord = (record) => tx("readwrite", (store) => asPromise(store.put(record)));
  const deleteRecord = (clientId) => tx("readwrite", (store) => asPromise(store.delete(clientId)));
  const allRecords = () => tx("readonly", (store) => asPromise(store.getAll()));

  /* Change a stored report in one transaction, so two tabs or a sync and an edit do not overwrite each other. */
  function updateRecord(clientId, change) {
    return tx("readwrite", async (store) => {
      const record = await asPromise(store.get(clientId));
      if (!record) return null;
      const changed = change(record);
      if (changed) await asPromise(store.put(changed));
      return changed;
    });
  }

  // --- Helpers --------------------------------------------------------------------------------------------

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function newClientId() {
    if (crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  async function sha256Hex(blob) {
    const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  const pad = (n) => String(n).padStart(2, "0");

  function localInputValue(date) {
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(
      date.getMinutes(),
    )}`;
  }

  /* "2024-03-01T10:30" typed on the phone, as ISO 8601 with the phone's offset for that moment. */
  function withOffset(value) {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) return "";
    const minutes = -date.getTimezoneOffset();
    const sign = minutes >= 0 ? "+" : "-";
    const abs = Math.abs(minutes);
    return `${localInputValue(date)}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }

  function showDate(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    return date.toLocaleString("en-GB", { day: "numeric", month: "short", hour: "2-digit", minute: "2-digit" });
  }

  const sizeText = (bytes) =>
    bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.round(bytes / 1024)} KB`;

  function optionsFor(select, items, { blank = null, value = (i) => i.value, label = (i) => i.label } = {}) {
    select.replaceChildren();
    if (blank !== null) select.append(new Option(blank, ""));
    for (const item of items) select.append(new Option(label(item), value(item)));
  }

  function fieldLabel(key) {
    const person = key.match(/^persons\.(\d+)\.(.+)$/);
    if (person) return `Person ${Number(person[1]) + 1}, ${FIELD_LABELS[person[2]] || person[2]}`;
    const photo = key.match(/^photos\.(\d+)$/);
    if (photo) return `Photo ${Number(photo[1]) + 1}`;
    return FIELD_LABELS[key] || (key === "__all__" ? "Report" : key);
  }

  let noticeTimer = null;
  function notice(text, tone = "") {
    const box = $("#notice");
    box.className = `banner ${tone}`;
    box.textContent = text;
    box.hidden = !text;
    clearTimeout(noticeTimer);
    // Good news fades; a warning stays until something replaces it.
    if (text && tone === "ok") noticeTimer = setTimeout(() => notice(""), 6000);
  }

  // --- Form options ---------------------------------------------------------------------------------------

  async function loadOptions() {
    // The service worker answers from its copy when there is no signal.
    const response = await fetch(`${config.api}/form-options`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (response.status === 401) {
      setSignedOut(true);
      throw new Error("signed out");
    }
    if (!response.ok) throw new Error(`form options answered ${response.status}`);
    return response.json();
  }

  function substanceByCode(code) {
    return (options?.substances || []).find((s) => s.code === code) || null;
  }

  function fillUnits(code, chosen = "") {
    const select = form.elements.unit;
    const substance = substanceByCode(code);
    optionsFor(select, substance ? substance.units : [], {
      blank: substance ? "Choose a unit" : "—",
      value: (u) => u,
      label: (u) => u,
    });
    select.value = chosen || (substance ? substance.default_unit || "" : "");
  }

  function buildForm() {
    const kinds = options.kinds && options.kinds.length ? options.kinds : KINDS;
    const choices = $("#kind-choices");
    choices.replaceChildren();
    for (const kind of kinds) {
      const label = document.createElement("label");
      label.className = "choice";
      const input = document.createElement("input");
      input.type = "radio";
      input.name = "kind";
      input.value = kind.value;
      const text = document.createElement("span");
      text.textContent = kind.label;
      label.append(input, text);
      choices.append(label);
    }
    const districts = form.elements.district_pcode;
    districts.replaceChildren(new Option("Choose a district", ""));
    const byProvince = new Map();
    for (const district of options.districts) {
      if (!byProvince.has(district.province)) byProvince.set(district.province, []);
      byProvince.get(district.province).push(district);
    }
    for (const [province, items] of byProvince) {
      const group = document.createElement("optgroup");
      group.label = province;
      for (const d of items) group.append(new Option(d.name, d.pcode));
      districts.append(group);
    }
    optionsFor(form.elements.substance_code, options.substances, {
      blank: "No substance",
      value: (s) => s.code,
      label: (s) => s.name,
    });
    // No blank choice: the server takes a missing one as "other" and "not concealed" anyway.
    optionsFor(form.elements.conveyance, options.conveyances);
    optionsFor(form.elements.concealment, options.concealments);
    fillUnits("");
    $("#photo-hint").textContent =
      `Up to ${options.max_photos} photos, each made smaller on the phone (at most ${sizeText(
        options.max_photo_bytes,
      )}) before it is sent.`;
  }

  // --- Persons --------------------------------------------------------------------------------------------

  function addPerson(values = {}) {
    const fragment = $("#person-template").content.cloneNode(true);
    const block = $(".person", fragment);
    const sex = $("[data-person-field=sex]", block);
    optionsFor(sex, options?.sexes || []);
    sex.value = "U";
    for (const input of $$("[data-person-field]", block)) {
      const value = values[input.dataset.personField];
      if (value !== undefined && value !== null) input.value = value;
    }
    $(".remove-person", block).addEventListener("click", () => {
      block.remove();
      numberPersons();
    });
    $("#persons").append(block);
    numberPersons();
    return block;
  }

  function numberPersons() {
    $$("#persons .person").forEach((block, index) => {
      $(".person-number", block).textContent = String(index + 1);
      block.dataset.index = String(index);
    });
  }

  function readPersons() {
    return $$("#persons .person").map((block) => {
      const person = {};
      for (const input of $$("[data-person-field]", block)) person[input.dataset.personField] = input.value.trim();
      person.age_years = person.age_years === "" ? null : Number(person.age_years);
      return person;
    });
  }

  // --- Photos ---------------------------------------------------------------------------------------------

  const canvasToBlob = (canvas, quality) =>
    new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));

  /* A phone camera's 4-12 MB photo becomes a JPEG of a few hundred KB; re-drawing also drops its EXIF
     (the camera's own GPS tag among it). */
  async function compressPhoto(file, maxBytes) {
    let bitmap;
    try {
      bitmap = await createImageBitmap(file, { imageOrientation: "from-image" });
    } catch (error) {
      throw new Error(`${file.name || "The file"} is not a photo this phone can read.`);
    }
    let side = PHOTO_LONGEST_SIDE;
    let quality = PHOTO_QUALITY;
    for (let attempt = 0; attempt < 6; attempt += 1) {
      const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      const canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      const context = canvas.getContext("2d");
      context.fillStyle = "#fff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      const blob = await canvasToBlob(canvas, quality);
      if (blob && blob.size <= maxBytes) {
        bitmap.close();
        return blob;
      }
      quality = Math.max(0.45, quality - 0.1);
      side = Math.round(side * 0.8);
    }
    bitmap.close();
    throw new Error(`${file.name || "A photo"} is still larger than ${sizeText(maxBytes)} after compressing it.`);
  }

  async function addPhotos(files) {
    const max = options?.max_photos ?? 5;
    const maxBytes = options?.max_photo_bytes ?? 5 * 1048576;
    const problems = [];
    const button = $("#save-report");
    button.disabled = true;
    try {
      for (const file of files) {
        if (photos.length >= max) {
          problems.push(`At most ${max} photos go with one report.`);
          break;
        }
        try {
          const blob = await compressPhoto(file, maxBytes);
          photos.push({ blob, sha256: await sha256Hex(blob), size: blob.size, type: blob.type });
        } catch (error) {
          problems.push(error.message);
        }
      }
    } finally {
      button.disabled = false;
    }
    renderPhotos();
    $('[data-error-for="photos"]').textContent = problems.join(" ");
  }

  function renderPhotos() {
    const list = $("#photo-list");
    for (const img of $$("img", list)) URL.revokeObjectURL(img.src);
    list.replaceChildren();
    photos.forEach((photo, index) => {
      const item = document.createElement("li");
      const img = document.createElement("img");
      img.src = URL.createObjectURL(photo.blob);
      img.alt = `Photo ${index + 1}`;
      const size = document.createElement("span");
      size.className = "photo-size";
      size.textContent = sizeText(photo.size);
      const remove = document.createElement("button");
      remove.type = "button";
      remove.textContent = "×";
      remove.setAttribute("aria-label", `Remove photo ${index + 1}`);
      remove.addEventListener("click", () => {
        photos.splice(index, 1);
        renderPhotos();
      });
      item.append(img, size, remove);
      list.append(item);
    });
  }

  // --- GPS ------------------------------------------------------------------------------------------------

  function showGps(report) {
    const has = report.latitude !== null && report.latitude !== undefined && report.latitude !== "";
    $("#gps-status").textContent = has
      ? `${Number(report.latitude).toFixed(5)}, ${Number(report.longitude).toFixed(5)}` +
        (report.accuracy_m ? ` (within ${report.accuracy_m} m)` : "")
      : "Not recorded.";
    $("#clear-gps").hidden = !has;
  }

  let gps = { latitude: null, longitude: null, accuracy_m: null };

  function useGps() {
    if (!navigator.geolocation) {
      $("#gps-status").textContent = "This phone cannot give a location; choose the district below.";
      return;
    }
    $("#gps-status").textContent = "Finding your location…";
    navigator.geolocation.getCurrentPosition(
      (position) => {
        gps = {
          latitude: Number(position.coords.latitude.toFixed(5)),
          longitude: Number(position.coords.longitude.toFixed(5)),
          accuracy_m: Math.round(position.coords.accuracy),
        };
        showGps(gps);
      },
      (error) => {
        $("#gps-status").textContent =
          error.code === error.PERMISSION_DENIED
            ? "Location is turned off for this app; choose the district below."
            : "No GPS fix yet; try again in the open, or choose the district below.";
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  }

  // --- Reading, checking and showing the form -------------------------------------------------------------

  function readReport() {
    const data = new FormData(form);
    const quantity = String(data.get("quantity") || "").trim();
    return {
      kind: data.get("kind") || "",
      occurred_at: withOffset(data.get("occurred_at") || ""),
      district_pcode: data.get("district_pcode") || "",
      latitude: gps.latitude,
      longitude: gps.longitude,
      accuracy_m: gps.accuracy_m,
      place: String(data.get("place") || "").trim(),
      substance_code: data.get("substance_code") || "",
      quantity: quantity === "" ? null : quantity.replace(",", "."),
      unit: data.get("unit") || "",
      conveyance: data.get("conveyance") || "",
      concealment: data.get("concealment") || "",
      narrative: String(data.get("narrative") || "").trim(),
      persons: readPersons(),
    };
  }

  /* The server's checks, repeated so the officer hears of a mistake before there is a signal; the server's
     answer still decides. */
  function checkReport(report) {
    const errors = {};
    const add = (field, message) => (errors[field] = errors[field] || []).push(message);
    if (!report.kind) add("kind", "Choose seizure, arrest or interdiction.");
    if (!report.occurred_at) add("occurred_at", "Enter when it happened.");
    else if (new Date(report.occurred_at).getTime() > Date.now() + 10 * 60 * 1000)
      add("occurred_at", "This is in the future; enter when it happened, or check the phone's clock.");
    if (!report.district_pcode) add("district_pcode", "Choose the district where it happened.");
    if (report.quantity !== null) {
      const quantity = Number(report.quantity);
      if (!/^\d*\.?\d+$/.test(report.quantity) || !(quantity > 0))
        add("quantity", "Enter a quantity greater than zero, in figures (e.g. 1.5).");
      if (!report.substance_code) add("substance_code", "Choose the substance this quantity is of.");
    }
    if (report.substance_code) {
      if (!report.unit) add("unit", "Choose the unit the quantity is in.");
      if (report.quantity === null) add("quantity", "Enter how much was seized.");
      const substance = substanceByCode(report.substance_code);
      if (substance && report.unit && !substance.units.includes(report.unit))
        add("unit", `${substance.name} is not measured in ${report.unit}.`);
    }
    if (report.kind === "seizure" && !report.substance_code)
      add("substance_code", "A seizure report names the substance seized.");
    if (report.kind === "arrest" && report.persons.length === 0)
      add("persons", "An arrest names at least one person arrested.");
    report.persons.forEach((person, index) => {
      const key = (field) => `persons.${index}.${field}`;
      if (!person.name_latin && !person.name_urdu)
        add(key("name_latin"), "Enter the name in English letters or in Urdu.");
      if (person.cnic) {
        const digits = person.cnic.replace(/[\s-]/g, "");
        if (!/^\d{13}$/.test(digits)) add(key("cnic"), "A CNIC has 13 digits, e.g. 35202-1234567-1.");
      }
      const age = person.age_years;
      if (age !== null && !(Number.isInteger(age) && age >= 0 && age <= 120))
        add(key("age_years"), "Enter the age in whole years, from 0 to 120.");
    });
    const max = options?.max_photos;
    if (max !== undefined && photos.length > max) add("photos", `At most ${max} photos go with one report.`);
    return errors;
  }

  function clearErrors() {
    for (const slot of $$("[data-error-for], [data-person-error]")) slot.textContent = "";
    for (const input of $$(".invalid", form)) input.classList.remove("invalid");
    $("#form-errors").hidden = true;
  }

  function showErrors(errors, { focus = true } = {}) {
    clearErrors();
    const summary = $("ul", $("#form-errors"));
    summary.replaceChildren();
    const entries = Object.entries(errors);
    for (const [field, messages] of entries) {
      const text = messages.join(" ");
      const person = field.match(/^persons\.(\d+)\.(.+)$/);
      let slot = null;
      let input = null;
      if (person) {
        const block = $$("#persons .person")[Number(person[1])];
        if (block) {
          slot = $(`[data-person-error="${person[2]}"]`, block);
          input = $(`[data-person-field="${person[2]}"]`, block);
        }
      } else {
        slot = $(`[data-error-for="${field}"]`);
        input = form.elements[field] instanceof Element ? form.elements[field] : null;
      }
      if (slot) slot.textContent = text;
      if (input) input.classList.add("invalid");
      const item = document.createElement("li");
      item.textContent = `${fieldLabel(field)}: ${text}`;
      summary.append(item);
    }
    $("#form-errors").hidden = entries.length === 0;
    if (entries.length && focus) $("#form-errors").focus();
  }

  function resetForm() {
    form.reset();
    editing = null;
    copyOf = null;
    $("#correcting").hidden = true;
    $("#persons").replaceChildren();
    photos = [];
    renderPhotos();
    gps = { latitude: null, longitude: null, accuracy_m: null };
    showGps(gps);
    clearErrors();
    form.elements.occurred_at.value = localInputValue(new Date());
    if (config.defaultDistrict) form.elements.district_pcode.value = config.defaultDistrict;
    form.elements.conveyance.value = "other";
    form.elements.concealment.value = "none";
    fillUnits("");
    $("#save-report").textContent = "Save and send";
  }

  function loadIntoForm(record, { asNew = false } = {}) {
    resetForm();
    notice("");
    const report = record.report;
    if (asNew) {
      copyOf = record.client_id;
      $("#correcting-text").textContent =
        "Correcting a returned report. It is sent as a new report; add its photos again, the returned one " +
        "keeps its own.";
    } else {
      editing = record.client_id;
      $("#correcting-text").textContent = "Changing a report. Fix what is marked below, then save it to send it.";
    }
    $("#correcting").hidden = false;
    $("#save-report").textContent = "Save and send again";
    const kind = $$("input[name=kind]", form).find((input) => input.value === report.kind);
    if (kind) kind.checked = true;
    form.elements.occurred_at.value = report.occurred_at ? localInputValue(new Date(report.occurred_at)) : "";
    form.elements.district_pcode.value = report.district_pcode;
    form.elements.place.value = report.place || "";
    form.elements.substance_code.value = report.substance_code || "";
    fillUnits(report.substance_code, report.unit);
    form.elements.quantity.value = report.quantity ?? "";
    form.elements.conveyance.value = report.conveyance || "";
    form.elements.concealment.value = report.concealment || "";
    form.elements.narrative.value = report.narrative || "";
    gps = { latitude: report.latitude, longitude: report.longitude, accuracy_m: report.accuracy_m };
    showGps(gps);
    for (const person of report.persons || []) addPerson(person);
    photos = asNew ? [] : (record.photos || []).map((p) => ({ ...p }));
    renderPhotos();
    showTab("report");
    showErrors(asNew ? {} : record.errors || {}, { focus: false });
    if (record.detail && !Object.keys(record.errors || {}).length) notice(record.detail, "warn");
    window.scrollTo(0, 0);
  }

  async function saveReport(event) {
    event.preventDefault();
    notice("");
    const report = readReport();
    const errors = checkReport(report);
    if (Object.keys(errors).length) {
      showErrors(errors);
      return;
    }
    const clientId = editing || newClientId();
    const now = new Date().toISOString();
    const storedPhotos = photos.map(({ blob, sha256, size, type }) => ({ blob, sha256, size, type }));
    if (editing) {
      const updated = await updateRecord(clientId, (record) => {
        if (record.state === "sent") return null;
        return { ...record, report: { ...report, client_id: clientId }, photos: storedPhotos, state: "queued",
          errors: {}, detail: "", corrected_at: now };
      });
      if (!updated) {
        notice("This report was already sent; it cannot be changed on the phone.", "warn");
        resetForm();
        await renderQueue();
        return;
      }
    } else {
      if (copyOf) {
        // The returned report's text has done its work: keep only what lists it.
        const returned = copyOf;
        await updateRecord(returned, (record) => ({ ...record, report: summary(record.report, record.server),
          corrected_by: clientId }));
      }
      await putRecord({
        client_id: clientId,
        officer: config.officer,
        state: "queued",
        saved_at: now,
        report: { ...report, client_id: clientId },
        photos: storedPhotos,
        errors: {},
        detail: "",
        server: null,
      });
    }
    resetForm();
    notice("Report saved on this phone. It is sent as soon as there is a signal.", "ok");
    showTab("queue");
    await renderQueue();
    syncWithRetry({ fresh: true });
  }

  // --- Sending --------------------------------------------------------------------------------------------

  /* One POST of a stored report with its photos, as the API expects: part "report" (JSON) and parts
     "photos". Answers {status, body}; a network failure throws. */
  async function postReport(record) {
    const body = new FormData();
    body.append("report", JSON.stringify({ ...record.report, client_id: record.client_id }));
    (record.photos || []).forEach((photo, index) => {
      const extension = photo.type === "image/png" ? "png" : photo.type === "image/webp" ? "webp" : "jpg";
      body.append("photos", photo.blob, `photo-${index + 1}.${extension}`);
    });
    const response = await fetch(config.api, {
      method: "POST",
      body,
      credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": csrfToken() },
    });
    let payload = null;
    try {
      payload = await response.json();
    } catch (error) {
      payload = null;
    }
    return { status: response.status, body: payload };
  }

  /* What stays on the phone once the server has a report: enough to list it, no names, no photos. */
  function summary(report, server) {
    return {
      kind: server?.kind || report?.kind || "",
      occurred_at: server?.occurred_at || report?.occurred_at || "",
      district_pcode: server?.district_pcode || report?.district_pcode || "",
      substance_code: server?.substance_code ?? report?.substance_code ?? "",
      quantity: server?.quantity ?? report?.quantity ?? null,
      unit: server?.unit ?? report?.unit ?? "",
      person_count: server?.person_count ?? (report?.persons || []).length,
    };
  }

  /* Once sent, the photos leave the phone; the report's text stays until a supervisor accepts it, so that a
     returned report can be corrected and sent again without typing it anew. */
  function markSent(record, server) {
    return {
      ...record,
      state: "sent",
      report: server?.status === "accepted" ? summary(record.report, server) : record.report,
      photos: (server?.photos || record.photos || []).map((p) => ({ sha256: p.sha256, size: p.size })),
      sent_photo_hashes: (record.photos || []).map((p) => p.sha256),
      errors: {},
      detail: "",
      server,
      sent_at: new Date().toISOString(),
    };
  }

  /* Never two sends of one report at once: a lock per report across this phone's tabs (Web Locks), and a
     set for this page. */
  async function withReportLock(clientId, work) {
    if (inFlight.has(clientId)) return "busy";
    inFlight.add(clientId);
    try {
      if (navigator.locks) {
        return await navigator.locks.request(`suragh-field-report-${clientId}`, { ifAvailable: true }, (lock) =>
          lock ? work() : "busy",
        );
      }
      return await work();
    } finally {
      inFlight.delete(clientId);
    }
  }

  async function sendOne(clientId) {
    return withReportLock(clientId, async () => {
      const record = await getRecord(clientId);
      if (!record || record.state !== "queued" || record.officer !== config.officer) return "skipped";
      setSending(clientId, true);
      let answer;
      try {
        answer = await postReport(record);
      } catch (error) {
        return "offline";
      } finally {
        setSending(clientId, false);
      }
      const { status, body } = answer;
      if (status === 200 || status === 201) {
        await updateRecord(clientId, (current) => markSent(current, body));
        return "sent";
      }
      // A lost session, or a CSRF cookie the sign-in page renews: either way, sign in again.
      if (status === 401 || (status === 403 && /csrf/i.test(body?.detail || ""))) {
        setSignedOut(true);
        return "signed_out";
      }
      if ([400, 403, 413, 422].includes(status)) {
        const tooLarge = { photos: [body?.detail || "The photos are too large."] };
        const errors = body?.errors || (status === 413 ? tooLarge : {});
        await updateRecord(clientId, (current) => ({
          ...current,
          state: "needs_correction",
          errors,
          detail: body?.detail || `The server refused the report (${status}).`,
        }));
        return "refused";
      }
      const lastError = `The server answered ${status}; trying again later.`;
      await updateRecord(clientId, (current) => ({ ...current, last_error: lastError }));
      return "later";
    });
  }

  /* Send every queued report of the signed-in officer, one at a time, then fetch their states. One run at a
     time: a call while one runs (which may have read the queue before a report was saved) gets one more run after
     it, shared by every call that comes meanwhile. */
  let syncAgain = null;
  function syncQueue() {
    if (syncing) {
      syncAgain =
        syncAgain ||
        syncing.then(() => {
          syncAgain = null;
          return syncQueue();
        });
      return syncAgain;
    }
    syncing = (async () => {
      const counts = { sent: 0, refused: 0 };
      let stopped = "";
      try {
        const records = (await allRecords()).filter((r) => r.state === "queued" && r.officer === config.officer);
        records.sort((a, b) => a.saved_at.localeCompare(b.saved_at));
        for (const record of records) {
          const outcome = await sendOne(record.client_id);
          if (outcome in counts) counts[outcome] += 1;
          if (outcome === "offline" || outcome === "signed_out") {
            stopped = outcome;
            break;
          }
        }
        if (!stopped) {
          const refreshed = await refreshFromServer();
          if (refreshed === "offline" || refreshed === "signed_out") stopped = refreshed;
        }
      } finally {
        syncing = null;
      }
      const parts = [];
      if (counts.sent) parts.push(`${counts.sent} sent`);
      if (counts.refused) parts.push(`${counts.refused} ${counts.refused === 1 ? "needs" : "need"} correction`);
      if (stopped === "offline") parts.push("no signal: queued reports wait");
      if (stopped === "signed_out") parts.push("sign in again to send");
      const checked = `Checked ${showDate(new Date().toISOString())}`;
      $("#sync-status").textContent = parts.length ? `${checked}: ${parts.join(", ")}.` : `${checked}.`;
      await renderQueue();
      return { ...counts, stopped };
    })();
    return syncing;
  }

  /* A phone often says it is online before requests get through (a weak signal, a network still coming up):
     when a sync finds no signal, try again a few times, sooner than the periodic sync would. */
  const RETRY_DELAYS_MS = [2000, 5000, 10000, 20000, 40000];
  let retryTimer = null;
  let retryAttempt = 0;
  function syncWithRetry({ fresh = false } = {}) {
    clearTimeout(retryTimer);
    retryTimer = null;
    if (fresh) retryAttempt = 0;
    return syncQueue().then((result) => {
      if (result.stopped === "offline" && retryAttempt < RETRY_DELAYS_MS.length) {
        retryTimer = setTimeout(syncWithRetry, RETRY_DELAYS_MS[retryAttempt]);
        retryAttempt += 1;
      } else if (result.stopped !== "offline") {
        retryAttempt = 0;
      }
      return result;
    });
  }

  /* The server's word on what became of each sent report (accepted, returned and why). */
  async function refreshFromServer() {
    let response;
    try {
      response = await fetch(config.api, { credentials: "same-origin", headers: { Accept: "application/json" } });
    } catch (error) {
      return "offline";
    }
    if (response.status === 401 || response.status === 403) {
      setSignedOut(true);
      return "signed_out";
    }
    if (!response.ok) return "later";
    setSignedOut(false);
    const { items } = await response.json();
    for (const server of items || []) {
      const known = await updateRecord(server.client_id, (record) => {
        if (record.state !== "sent") return markSent(record, server);
        const report = server.status === "accepted" ? summary(record.report, server) : record.report;
        return { ...record, server, report };
      });
      if (!known) {
        await putRecord({
          client_id: server.client_id,
          officer: config.officer,
          state: "sent",
          saved_at: server.submitted_at,
          report: summary(null, server),
          photos: (server.photos || []).map((p) => ({ sha256: p.sha256, size: p.size })),
          errors: {},
          detail: "",
          server,
        });
      }
    }
    return "done";
  }

  // --- Showing the queue ----------------------------------------------------------------------------------

  const sendingNow = new Set();
  function setSending(clientId, on) {
    if (on) sendingNow.add(clientId);
    else sendingNow.delete(clientId);
    const card = document.querySelector(`.report[data-client-id="${clientId}"]`);
    if (card && on) {
      card.dataset.state = "sending";
      $(".state", card).textContent = STATE_LABELS.sending;
    }
  }

  function shownState(record) {
    if (sendingNow.has(record.client_id)) return "sending";
    if (record.officer !== config.officer && record.state !== "sent") return "other_officer";
    if (record.state === "sent") {
      const status = record.server?.status;
      if (status === "accepted") return "accepted";
      if (status === "returned") return "returned";
      return "sent";
    }
    return record.state;
  }

  /* "1.250000" as the server keeps it, "1.25" as the officer wrote it. */
  function quantityText(quantity) {
    const text = String(quantity ?? "");
    return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
  }

  function describe(report) {
    const kind = (options?.kinds || KINDS).find((k) => k.value === report.kind)?.label || report.kind || "Report";
    const substance = substanceByCode(report.substance_code);
    const quantity = report.quantity ? `, ${quantityText(report.quantity)} ${report.unit}` : "";
    const what = substance ? `${substance.name}${quantity}` : "";
    return what ? `${kind}: ${what}` : kind;
  }

  function districtName(pcode) {
    return (options?.districts || []).find((d) => d.pcode === pcode)?.name || pcode || "";
  }

  async function renderQueue() {
    const records = (await allRecords()).filter((r) => r.officer === config.officer || r.state !== "sent");
    records.sort((a, b) => (b.saved_at || "").localeCompare(a.saved_at || ""));
    const list = $("#queue");
    list.replaceChildren();
    for (const record of records) {
      const state = shownState(record);
      const report = record.report || {};
      const item = document.createElement("li");
      item.className = "report";
      item.dataset.state = state;
      item.dataset.clientId = record.client_id;

      const head = document.createElement("div");
      head.className = "report-head";
      const title = document.createElement("h3");
      title.className = "report-title";
      title.textContent = describe(report);
      const badge = document.createElement("span");
      badge.className = "state";
      badge.textContent = state === "sent" && record.server?.status_label ? "Sent" : STATE_LABELS[state] || state;
      head.append(title, badge);
      item.append(head);

      const meta = document.createElement("p");
      meta.className = "report-meta";
      const persons = report.persons ? report.persons.length : report.person_count || 0;
      const photoCount = (record.photos || []).length;
      meta.textContent = [
        showDate(report.occurred_at),
        districtName(report.district_pcode),
        persons ? `${persons} person${persons === 1 ? "" : "s"}` : "",
        photoCount ? `${photoCount} photo${photoCount === 1 ? "" : "s"}` : "",
        record.server?.id ? `No. ${record.server.id}` : "",
      ]
        .filter(Boolean)
        .join(" · ");
      item.append(meta);

      const explain = document.createElement("p");
      explain.className = "report-meta";
      if (state === "queued") explain.textContent = record.last_error || "Waiting on this phone to be sent.";
      if (state === "sent") explain.textContent = record.server?.status_label || "Sent, awaiting review.";
      if (state === "accepted")
        explain.textContent = record.server?.case_id
          ? `Accepted; recorded on case ${record.server.case_id}.`
          : "Accepted.";
      if (state === "other_officer")
        explain.textContent = "Saved by another officer on this phone; sent when they sign in.";
      if (explain.textContent) item.append(explain);

      if (state === "returned") {
        const reason = document.createElement("p");
        reason.className = "reason";
        reason.textContent = `Returned: ${record.server?.return_reason || "no reason given"}`;
        item.append(reason);
        if (record.corrected_by) {
          const done = document.createElement("p");
          done.className = "report-meta";
          done.textContent = "A corrected report was made from this one.";
          item.append(done);
        } else if (record.report?.persons) {
          const actions = document.createElement("div");
          actions.className = "report-actions";
          const correct = document.createElement("button");
          correct.type = "button";
          correct.className = "primary";
          correct.textContent = "Correct and send as a new report";
          correct.addEventListener("click", () => loadIntoForm(record, { asNew: true }));
          actions.append(correct);
          item.append(actions);
        }
      }
      if (state === "needs_correction") {
        const errors = document.createElement("ul");
        errors.className = "errors";
        const entries = Object.entries(record.errors || {});
        if (!entries.length) entries.push(["__all__", [record.detail || "The server refused the report."]]);
        for (const [field, messages] of entries) {
          const line = document.createElement("li");
          line.textContent = `${fieldLabel(field)}: ${messages.join(" ")}`;
          errors.append(line);
        }
        item.append(errors);
      }
      if (state === "queued" || state === "needs_correction") {
        const actions = document.createElement("div");
        actions.className = "report-actions";
        const edit = document.createElement("button");
        edit.type = "button";
        edit.className = state === "needs_correction" ? "primary" : "secondary";
        edit.textContent = state === "needs_correction" ? "Correct and send again" : "Change";
        edit.addEventListener("click", async () => {
          if (inFlight.has(record.client_id)) return;
          const fresh = await getRecord(record.client_id);
          if (fresh && fresh.state !== "sent") loadIntoForm(fresh);
        });
        const discard = document.createElement("button");
        discard.type = "button";
        discard.className = "link-button danger";
        discard.textContent = "Discard";
        discard.addEventListener("click", async () => {
          if (inFlight.has(record.client_id)) return;
          if (!window.confirm("Discard this report? It has not been sent and will be lost.")) return;
          await deleteRecord(record.client_id);
          await renderQueue();
        });
        actions.append(edit, discard);
        item.append(actions);
      }
      list.append(item);
    }
    $("#queue-empty").hidden = records.length > 0;
    const waiting = records.filter((r) => r.state === "queued" || r.state === "needs_correction").length;
    $("#queue-count").textContent = waiting ? String(waiting) : "";
  }

  // --- Page state -----------------------------------------------------------------------------------------

  function setSignedOut(value) {
    signedOut = value;
    $("#sign-in-again").hidden = !value;
  }

  function showConnection() {
    const online = navigator.onLine;
    const badge = $("#connection");
    badge.textContent = online ? "Online" : "Offline";
    badge.classList.toggle("offline", !online);
  }

  function showTab(name) {
    const report = name === "report";
    $("#report-view").hidden = !report;
    $("#queue-view").hidden = report;
    $("#tab-report").setAttribute("aria-selected", String(report));
    $("#tab-queue").setAttribute("aria-selected", String(!report));
  }

  /* Signing out forgets the kept copy of the page, which names the officer; queued reports stay and are sent when
     their officer signs in again. */
  async function signOut(event) {
    event.preventDefault();
    const signOutForm = event.target;
    const waiting = (await allRecords()).filter(
      (r) => r.officer === config.officer && (r.state === "queued" || r.state === "needs_correction"),
    ).length;
    if (waiting) {
      const ask =
        `${waiting} report${waiting === 1 ? " is" : "s are"} still waiting on this phone. ` +
        "They stay here and are sent when you sign in again. Sign out?";
      if (!window.confirm(ask)) return;
    }
    if ("caches" in window) {
      const cache = await caches.open(`suragh-field-shell-${config.version}`);
      await cache.delete(location.pathname);
    }
    signOutForm.elements.csrfmiddlewaretoken.value = csrfToken();
    signOutForm.submit();
  }

  async function registerServiceWorker() {
    if (!("serviceWorker" in navigator)) return;
    try {
      await navigator.serviceWorker.register(config.serviceWorker, { scope: "./" });
    } catch (error) {
      notice("This browser could not keep the app for offline use; it works while there is a signal.", "warn");
    }
  }

  async function start() {
    showConnection();
    registerServiceWorker();
    // Ask the browser never to clear this app's storage to make room: the queue may hold the only copy of a report.
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => {});
    try {
      options = await loadOptions();
    } catch (error) {
      options = { kinds: KINDS, substances: [], districts: [], conveyances: [], concealments: [], sexes: [] };
      if (!signedOut)
        notice(
          "The form's lists could not be loaded; open the app once with a signal to keep them on the phone.",
          "warn",
        );
    }
    buildForm();
    resetForm();

    form.addEventListener("submit", saveReport);
    form.elements.substance_code.addEventListener("change", (event) => fillUnits(event.target.value));
    $("#add-person").addEventListener("click", () => {
      const block = addPerson();
      $("input", block).focus();
    });
    for (const input of [$("#photo-camera"), $("#photo-input")]) {
      input.addEventListener("change", async (event) => {
        await addPhotos(Array.from(event.target.files || []));
        event.target.value = "";
      });
    }
    $("#use-gps").addEventListener("click", useGps);
    $("#clear-gps").addEventListener("click", () => {
      gps = { latitude: null, longitude: null, accuracy_m: null };
      showGps(gps);
    });
    $("#cancel-correction").addEventListener("click", () => {
      resetForm();
      notice("");
    });
    $("#tab-report").addEventListener("click", () => showTab("report"));
    $("#tab-queue").addEventListener("click", () => {
      showTab("queue");
      renderQueue();
    });
    $("#send-now").addEventListener("click", () => syncWithRetry({ fresh: true }));
    $("#sign-out").addEventListener("submit", signOut);
    // Some phones miss the "online" event after a restart with no signal: a change seen by polling counts too.
    let wasOnline = navigator.onLine;
    const connectionChanged = () => {
      const online = navigator.onLine;
      if (online === wasOnline) return;
      wasOnline = online;
      showConnection();
      if (online) syncWithRetry({ fresh: true });
    };
    window.addEventListener("online", connectionChanged);
    window.addEventListener("offline", connectionChanged);
    setInterval(connectionChanged, 2000);
    setInterval(() => {
      if (navigator.onLine && retryTimer === null) syncQueue();
    }, SYNC_EVERY_MS);

    await renderQueue();
    document.body.dataset.ready = "true";
    await syncWithRetry({ fresh: true });
  }

  // For the browser tests and for a look from the console: the same functions the page uses.
  window.suraghField = { postReport, syncQueue, allRecords, getRecord, putRecord, newClientId, renderQueue };

  start();
})();

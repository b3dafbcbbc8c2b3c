"use client";

import { useSortable } from "@dnd-kit/sortable";
import { CSS } from "@dnd-kit/utilities";
import { type RefObject, useEffect, useRef, useState } from "react";
import { useDropzone } from "react-dropzone";
import { AlertIcon, CameraIcon, GripIcon, PlusIcon, SwapIcon, TrashIcon } from "@/components/ui/icons";
import { ACCEPTED_TYPES, BACK, FRONT, type PickedPhoto, slotLabel } from "./slots";

export interface PhotoSlotProps {
  slot: number;
  photo: PickedPhoto | null;
  error?: string;
  disabled: boolean;
  onFiles: (slot: number, files: File[]) => void;
  onRemove: (slot: number) => void;
}

const HINTS: Record<number, string> = {
  [FRONT]: "The whole item, straight on",
  [BACK]: "Turn it around",
};

/** A preview URL for a file, revoked as soon as the file leaves this slot. */
function usePreviewUrl(file: File | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!file) return setUrl(undefined);
    const next = URL.createObjectURL(file);
    setUrl(next);
    return () => URL.revokeObjectURL(next);
  }, [file]);
  return url;
}

/** One slot of the upload form: a dropzone when empty, a draggable preview when filled. */
export function PhotoSlot({ slot, photo, error, disabled, onFiles, onRemove }: PhotoSlotProps) {
  const label = slotLabel(slot);
  const required = slot === FRONT;
  const errorId = `slot-${slot}-error`;
  const preview = usePreviewUrl(photo?.file);
  const cameraRef = useRef<HTMLInputElement>(null);

  const sortable = useSortable({
    id: `slot-${slot}`,
    disabled: { draggable: !photo || disabled, droppable: disabled },
    data: { slot },
  });
  const dropzone = useDropzone({
    onDrop: (accepted, rejected) => onFiles(slot, [...accepted, ...rejected.map((r) => r.file)]),
    accept: ACCEPTED_TYPES as unknown as Record<string, string[]>,
    multiple: true,
    noClick: Boolean(photo),
    noKeyboard: Boolean(photo),
    disabled,
  });
  const rootProps = dropzone.getRootProps();
  const rootRef = rootProps.ref as RefObject<HTMLElement | null>;
  const setRef = (el: HTMLDivElement | null) => {
    sortable.setNodeRef(el);
    rootRef.current = el;
  };

  const size = slot <= BACK ? "aspect-[4/3]" : "aspect-square";
  const ring = error
    ? "border-red-500 ring-2 ring-red-200"
    : dropzone.isDragActive || sortable.isOver
      ? "border-brand-500 ring-4 ring-brand-100"
      : photo
        ? "border-transparent"
        : "border-slate-300 hover:border-brand-500";

  return (
    <li className={`list-none ${slot <= BACK ? "col-span-2" : "col-span-1"}`}>
      <div
        {...rootProps}
        ref={setRef}
        style={{ transform: CSS.Translate.toString(sortable.transform), transition: sortable.transition }}
        {...(photo
          ? { role: "group", "aria-label": `${label} photo: ${photo.file.name}` }
          : {
              role: "button",
              "aria-label": `${label} photo${required ? " (required)" : " (optional)"}: add a photo`,
            })}
        aria-describedby={error ? errorId : undefined}
        aria-invalid={error ? true : undefined}
        data-slot={slot}
        data-testid={`slot-${slot}`}
        className={`group relative ${size} overflow-hidden rounded-2xl border-2 ${photo ? "" : "border-dashed"} ${ring} bg-white shadow-sm transition focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500 ${
          sortable.isDragging ? "z-20 scale-[1.02] opacity-90 shadow-xl" : ""
        } ${disabled ? "opacity-60" : photo ? "" : "cursor-pointer"}`}
      >
        <input
          {...dropzone.getInputProps({ "aria-label": `Choose the ${label} photo` })}
          data-testid={`slot-${slot}-input`}
        />
        {photo && preview ? (
          <>
            {/* biome-ignore lint/performance/noImgElement: a local object URL preview, nothing for next/image to optimize */}
            <img
              src={preview}
              alt={`${label}: ${photo.file.name}`}
              className="h-full w-full object-cover"
              draggable={false}
            />
            <div className="pointer-events-none absolute inset-x-0 top-0 flex items-center justify-between bg-gradient-to-b from-black/60 to-transparent p-2 text-white">
              <span className="rounded-md bg-black/30 px-2 py-0.5 text-sm font-semibold backdrop-blur-sm">{label}</span>
            </div>
            <div className="absolute inset-x-0 bottom-0 flex items-center justify-between gap-1 bg-gradient-to-t from-black/70 to-transparent p-2">
              <button
                type="button"
                {...sortable.attributes}
                {...sortable.listeners}
                aria-label={`Move the ${label} photo`}
                aria-roledescription="movable photo"
                disabled={disabled}
                className="touch-none cursor-grab rounded-lg bg-white/90 p-2 text-slate-800 shadow hover:bg-white active:cursor-grabbing"
              >
                <GripIcon className="h-4 w-4" />
              </button>
              <span className="flex gap-1">
                <button
                  type="button"
                  onClick={dropzone.open}
                  disabled={disabled}
                  aria-label={`Replace the ${label} photo`}
                  className="rounded-lg bg-white/90 p-2 text-slate-800 shadow hover:bg-white"
                >
                  <SwapIcon className="h-4 w-4" />
                </button>
                <button
                  type="button"
                  onClick={() => onRemove(slot)}
                  disabled={disabled}
                  aria-label={`Remove the ${label} photo`}
                  className="rounded-lg bg-white/90 p-2 text-red-700 shadow hover:bg-white"
                >
                  <TrashIcon className="h-4 w-4" />
                </button>
              </span>
            </div>
          </>
        ) : (
          <div className="flex h-full flex-col items-center justify-center gap-1 p-3 text-center">
            <span
              className={`grid place-items-center rounded-full ${slot <= BACK ? "h-12 w-12" : "h-9 w-9"} bg-brand-50 text-brand-600 transition group-hover:bg-brand-100`}
            >
              <PlusIcon className={slot <= BACK ? "h-6 w-6" : "h-5 w-5"} />
            </span>
            <span className={`font-semibold text-slate-900 ${slot <= BACK ? "text-base" : "text-sm"}`}>
              {label}
              {required ? <span className="ml-1 text-xs font-medium text-brand-700">required</span> : null}
            </span>
            {slot <= BACK ? (
              <span className="text-sm text-slate-500">
                {HINTS[slot]}
                <span className="hidden sm:inline"> · drop or click</span>
              </span>
            ) : null}
            {dropzone.isDragActive ? <span className="text-sm font-medium text-brand-700">Drop to add</span> : null}
          </div>
        )}
      </div>
      {photo ? null : (
        <>
          <button
            type="button"
            onClick={() => cameraRef.current?.click()}
            disabled={disabled}
            aria-label={`Take the ${label} photo with the camera`}
            className="mt-1.5 hidden w-full items-center justify-center gap-1.5 rounded-xl border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 pointer-coarse:flex"
          >
            <CameraIcon className="h-4 w-4" /> Camera
          </button>
          <input
            ref={cameraRef}
            type="file"
            accept="image/*"
            capture="environment"
            className="hidden"
            tabIndex={-1}
            aria-hidden="true"
            onChange={(e) => {
              const files = Array.from(e.target.files ?? []);
              e.target.value = "";
              if (files.length) onFiles(slot, files);
            }}
          />
        </>
      )}
      {error ? (
        <p id={errorId} className="mt-1.5 flex items-start gap-1 text-sm text-red-700">
          <AlertIcon className="mt-0.5 h-4 w-4" />
          <span>{error}</span>
        </p>
      ) : null}
    </li>
  );
}
